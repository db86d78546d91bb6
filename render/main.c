/* tph: reads the traces tracepatch writes. This file only dispatches. */
#include "commands.h"
#include "out_of_memory.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"logs", cmd_logs, "list the traces in the cache, newest first"},
    {"view", cmd_view, "show a trace's header: process, limits, config, threads"},
    {"tree", cmd_tree, "print the call tree"},
    {"stats", cmd_stats, "summarise where the time went"},
    {"diff", cmd_diff, "compare two traces function by function"},
    {"config", cmd_config, "show the effective configuration and where it came from"},
    {"run", cmd_run, "run a command with the preload"},
    {"trace", cmd_trace, "trace a running process for a few seconds and show it"},
    {"clean", cmd_clean, "remove old trace files from the cache"},
    {"export", cmd_export, "write a trace for Perfetto, speedscope, flamegraph.pl or as CSV"},
    {"flame", cmd_flame, "draw a trace as an interactive SVG flame graph"},
    {"tui", cmd_tui, "browse a trace full-screen: fold, search, filter"},
    {"lines", cmd_lines, "show the executed lines of calls recorded in line mode"},
    {"setup", cmd_setup, "write a runner that calls the functions of [[test.files]]"},
    {"disable", cmd_disable, "remove what tph setup created"},
};

#define USAGE "tph [--version] [help] COMMAND [ARGS]"

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int print_help(void)
{
    printf("usage: %s\n\ncommands:\n", USAGE);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-7s %s\n", commands[i].name, commands[i].summary);
    printf("\n'tph COMMAND --help' describes a command's options.\n");
    return 0;
}

static int usage_error(const char *problem, const char *what)
{
    fprintf(stderr, "tph: %s '%s'\nusage: %s\n", problem, what, USAGE);
    return 2;
}

static bool asks_for_help(const char *word)
{
    return strcmp(word, "help") == 0 || strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
}

/* `tph help`, `tph help COMMAND`; `tph help help` and `tph help --help`
 * are the list too. */
static int help_command(int argc, char **argv)
{
    if (argc < 2 || asks_for_help(argv[1]))
        return print_help();
    const struct command *c = find_command(argv[1]);
    if (!c)
        return usage_error("unknown command", argv[1]);
    char *help_argv[] = {argv[1], "--help", NULL};
    return c->run(2, help_argv);
}

int main(int argc, char **argv)
{
    tp_oom_install();
    if (argc < 2) {
        fprintf(stderr, "usage: %s\n", USAGE);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("tph %s\n", TRACEPATCH_VERSION);
        return 0;
    }
    if (asks_for_help(name))
        return help_command(argc - 1, argv + 1);
    const struct command *c = find_command(name);
    if (!c)
        return usage_error(name[0] == '-' ? "unknown option" : "unknown command", name);
    return c->run(argc - 1, argv + 1);
}
