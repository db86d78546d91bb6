/* tph run: runs a command with the preload and the settings given, as the
 * command itself (exec), so its exit status and signals are its own. */
#include "cli.h"
#include "commands.h"
#include "config.h"
#include "preload_path.h"

#include <strings.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "tph run [--autostart] [--trigger FILE] [--set KEY=VALUE]... [--] CMD [ARGS...]"

#define HELP \
    "Runs CMD with libtracepatch.so preloaded; the exit status is CMD's\n" \
    "(127 when CMD cannot be found, 126 when it cannot be run).\n\n" \
    "  --autostart        open a window at start-up (TRACEPATCH_AUTOSTART=1)\n" \
    "  --trigger FILE     keep a window open while FILE exists (TRACEPATCH_TRIGGER)\n" \
    "  --set KEY=VALUE    any setting, as TRACEPATCH_<KEY> (see tph config); repeatable\n\n" \
    "Without --autostart or --trigger, send the process SIGUSR1 (or use\n" \
    "tph trace PID) to open and close a window.\n"

/* The TRACEPATCH_<KEY> name for a known key (any case), else NULL. */
static const char *env_name_for(const char *key, size_t len)
{
    for (size_t i = 0; i < tp_config_key_count(); i++) {
        const char *name = tp_config_key_name(i);
        if (strlen(name) == len && strncasecmp(name, key, len) == 0)
            return tp_config_env_name(i);
    }
    return NULL;
}

static int apply_setting(const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return tp_usage_error("run", USAGE, "--set wants KEY=VALUE, got", assignment);
    const char *env = env_name_for(assignment, (size_t)(eq - assignment));
    if (!env)
        return tp_usage_error("run", USAGE, "unknown setting in", assignment);
    setenv(env, eq + 1, 1);
    return 0;
}

/* LD_PRELOAD = our library, then whatever was preloaded already. */
static int set_preload(void)
{
    tp_buf lib = TP_BUF_INIT;
    if (!tp_find_preload(&lib)) {
        fprintf(stderr, "tph: libtracepatch.so not found (looked at %s)\n", tp_buf_cstr(&lib));
        tp_buf_free(&lib);
        return 1;
    }
    const char *old = getenv("LD_PRELOAD");
    if (old && *old)
        tp_buf_printf(&lib, ":%s", old);
    setenv("LD_PRELOAD", tp_buf_cstr(&lib), 1);
    tp_buf_free(&lib);
    return 0;
}

static int parse_options(int argc, char **argv)
{
    static const struct option options[] = {
        {"autostart", no_argument, NULL, 'a'},
        {"trigger", required_argument, NULL, 't'},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        switch (c) {
        case 'a': setenv("TRACEPATCH_AUTOSTART", "1", 1); break;
        case 't':
            if (!*optarg)
                return tp_usage_error("run", USAGE, "--trigger wants a file name", NULL);
            setenv("TRACEPATCH_TRIGGER", optarg, 1);
            break;
        case 's':
            if ((rc = apply_setting(optarg)) != 0)
                return rc;
            break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return -1;
        default: return tp_bad_option("run", USAGE, c, argv);
        }
    }
    if (optind >= argc)
        return tp_usage_error("run", USAGE, "missing CMD", NULL);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    int rc = parse_options(argc, argv);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (set_preload() != 0)
        return 1;
    fflush(stdout);
    execvp(argv[optind], argv + optind);
    int error = errno;
    fprintf(stderr, "tph: %s: %s\n", argv[optind], strerror(error));
    return error == ENOENT ? 127 : 126;
}
