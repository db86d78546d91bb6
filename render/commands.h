/* The tph subcommands. Each takes the arguments after its name (argv[0] is
 * the command name) and returns the exit status: 0 ok, 1 error, 2 usage. */
#ifndef TPH_COMMANDS_H
#define TPH_COMMANDS_H

int cmd_logs(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_lines(int argc, char **argv);
int cmd_setup(int argc, char **argv);
int cmd_disable(int argc, char **argv);

#endif
