/* tph setup: turns the [[test.files]] / [[test.inputs]] tables of the config
 * into a runner script that calls the chosen functions, after checking
 * that they exist and (with git) that nothing staged is in the way. With
 * --run it also runs it under the preload and prints the call tree. */
#include "cli.h"
#include "commands.h"
#include "setup_check.h"
#include "setup_exec.h"
#include "setup_git.h"
#include "setup_install.h"
#include "setup_project.h"
#include "setup_runner.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define USAGE "tph setup [-y|--yes] [--run]"

#define HELP \
    "Writes " TP_RUNNER_NAME " next to the config file: it imports each\n" \
    "function of [[test.files]] and calls it with the [[test.inputs]] given for it,\n" \
    "or with arguments guessed from its parameters (docs/harness.md). What it\n" \
    "creates is recorded in the cache directory; tph disable removes it.\n\n" \
    "  --yes    go on without asking when git has staged changes\n" \
    "  --run    then run it under the preload (tph run --autostart) and print\n" \
    "           the call tree of its trace\n"

/* The newest trace_*_PID.json in the cache directory, or NULL. */
static char *find_trace(const char *cache_dir, int pid)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, "_%d.json", pid);
    DIR *d = opendir(cache_dir);
    char *best = NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name), k = strlen(suffix);
        if (strncmp(e->d_name, "trace_", 6) != 0 || n < k || strcmp(e->d_name + n - k, suffix))
            continue;
        if (best && strcmp(strrchr(best, '/') + 1, e->d_name) >= 0)
            continue;   /* names start with the time: the greater is newer */
        free(best);
        best = tp_project_path(cache_dir, e->d_name);
    }
    if (d)
        closedir(d);
    return best;
}

/* tph run --autostart -- PYTHON RUNNER in the project, then tph tree. */
static int run_and_show(const tp_project *p)
{
    char *argv[] = {"/proc/self/exe", "run", "--autostart", "--", (char *)tp_python_command(),
                    TP_RUNNER_NAME, NULL};
    fflush(stdout);
    int pid = tp_exec_spawn(argv, p->dir);
    int status = pid > 0 ? tp_exec_wait(pid) : -1;
    if (status < 0 || status >= 126) {
        fprintf(stderr, "tph: setup: the runner did not run (status %d)\n", status);
        return 1;
    }
    char *trace = find_trace(p->cache_dir, pid);
    if (!trace) {
        fprintf(stderr, "tph: setup: the runner wrote no trace into %s\n",
                tp_shown_path(p->cache_dir));
        return 1;
    }
    printf("\n");
    fflush(stdout);
    char *tree_argv[] = {"tree", trace, NULL};
    optind = 0;     /* getopt_long starts over for the tree's options */
    int rc = cmd_tree(2, tree_argv);
    free(trace);
    return rc != 0 ? rc : status != 0;
}

static size_t count_calls(const tp_project *p)
{
    size_t n = 0;
    for (size_t f = 0; f < p->tables.n_files; f++)
        n += p->tables.files[f].functions.n;
    return n;
}

static void say_done(const tp_project *p, bool run)
{
    char *runner = tp_project_path(p->dir, TP_RUNNER_NAME);
    printf("wrote %s: %zu function%s from %zu file%s (recorded in %s/%s)\n",
           runner ? tp_shown_path(runner) : TP_RUNNER_NAME, count_calls(p),
           count_calls(p) == 1 ? "" : "s", p->tables.n_files,
           p->tables.n_files == 1 ? "" : "s", tp_shown_path(p->cache_dir), "setup-state");
    if (!run)
        printf("run it:     tph run --autostart -- python3 %s\nremove it:  tph disable\n",
               TP_RUNNER_NAME);
    free(runner);
}

static int setup(bool yes, bool run)
{
    tp_project p;
    int rc = tp_project_load(&p, "setup", true);
    if (rc == 0 && p.tables_broken) {
        fprintf(stderr, "tph: setup: nothing written: fix the test tables of %s first\n",
                p.cfg.file);
        rc = 1;
    }
    tp_py_module *modules = rc == 0 ? calloc(p.tables.n_files, sizeof *modules) : NULL;
    if (rc == 0 && !modules) {
        fprintf(stderr, "tph: setup: out of memory\n");
        rc = 1;
    }
    rc = rc ? rc : tp_setup_check(&p, modules);
    rc = rc ? rc : tp_setup_check_git(p.dir, yes);
    tp_buf runner = TP_BUF_INIT;
    if (rc == 0)
        tp_runner_text(&p.tables, modules, p.dir, p.cfg.file, &runner);
    if (rc == 0 && runner.failed) {
        fprintf(stderr, "tph: setup: out of memory\n");
        rc = 1;
    }
    rc = rc ? rc : tp_setup_install(&p, &runner);
    if (rc == 0)
        say_done(&p, run);
    if (rc == 0 && run)
        rc = run_and_show(&p);
    tp_buf_free(&runner);
    for (size_t i = 0; modules && i < p.tables.n_files; i++)
        tp_py_module_free(&modules[i]);
    free(modules);
    tp_project_free(&p);
    return rc;
}

int cmd_setup(int argc, char **argv)
{
    static const struct option options[] = {
        {"yes", no_argument, NULL, 'y'},
        {"run", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool yes = false, run = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hy", options, NULL)) != -1) {
        switch (c) {
        case 'y': yes = true; break;
        case 'r': run = true; break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return 0;
        default: return tp_bad_option("setup", USAGE, c, argv);
        }
    }
    if (optind != argc)
        return tp_usage_error("setup", USAGE, "unexpected argument", argv[optind]);
    return setup(yes, run);
}
