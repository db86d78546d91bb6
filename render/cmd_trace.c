/* tph trace PID: opens a window in a running process that has the
 * preload, closes it after N seconds, waits for the trace file and shows
 * it. See proc_target.h (what /proc tells) and trace_wait.h (the wait). */
#include "cli.h"
#include "commands.h"
#include "config.h"
#include "proc_target.h"
#include "trace_wait.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "tph trace PID [--seconds N] [--wait N] [--output tree|stats|path|none]\n" \
              "                [--no-pager]"

#define HELP \
    "Opens a trace window in process PID (started with the preload, e.g. by\n" \
    "tph run), closes it after N seconds, waits for the trace file and shows it.\n\n" \
    "  --seconds N   how long the window stays open (default 5)\n" \
    "  --wait N      how long to wait for the file once the window is closed\n" \
    "                (default 10)\n" \
    "  --output O    tree (default), stats, path (print the file's path) or none\n" \
    "  --no-pager    never page the tree or stats\n\n" \
    "The signal and cache directory are the target's own: its TRACEPATCH_*\n" \
    "variables and config file, relative to its working directory.\n"

struct trace_args {
    pid_t pid;
    double seconds, wait;
    const char *output;
    bool use_pager;
};

static int parse_args(int argc, char **argv, struct trace_args *a)
{
    static const struct option options[] = {
        {"seconds", required_argument, NULL, 's'},
        {"wait", required_argument, NULL, 'w'},
        {"output", required_argument, NULL, 'o'},
        {"no-pager", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int64_t pid;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 's':
            if (!tp_parse_nonneg(optarg, &a->seconds) || a->seconds > 86400)
                return tp_usage_error("trace", USAGE, "--seconds wants 0 to 86400, got", optarg);
            break;
        case 'w':
            if (!tp_parse_nonneg(optarg, &a->wait) || a->wait > 86400)
                return tp_usage_error("trace", USAGE, "--wait wants 0 to 86400, got", optarg);
            break;
        case 'o':
            if (strcmp(optarg, "tree") && strcmp(optarg, "stats") && strcmp(optarg, "path") &&
                strcmp(optarg, "none"))
                return tp_usage_error("trace", USAGE, "--output wants tree, stats, path or none, got", optarg);
            a->output = optarg;
            break;
        case 'P': a->use_pager = false; break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return -1;
        default: return tp_bad_option("trace", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("trace", USAGE, optind < argc ? "one PID expected" : "missing PID", NULL);
    if (!tp_parse_int(argv[optind], 1, INT32_MAX, &pid))
        return tp_usage_error("trace", USAGE, "PID wants a process id, got", argv[optind]);
    a->pid = (pid_t)pid;
    return 0;
}

/* A process started a moment ago may not have reached its program yet
 * (`tph run -- CMD & tph trace $!`: the shell's child, then tph, then CMD
 * with the preload, which then loads the core): while it is still tph,
 * or younger than SETTLE_MS and without the preload or the core, it is
 * looked at again, for up to SETTLE_MS. */
#define SETTLE_MS 3000
#define SETTLE_STEP_MS 50

static int open_target(tp_target *t, pid_t pid, tp_buf *err)
{
    for (int waited = 0;; waited += SETTLE_STEP_MS) {
        if (tp_target_open(t, pid, err) != 0)
            return -1;
        bool young = t->age_ms >= 0 && t->age_ms < SETTLE_MS;
        if (!(t->runs_tph || (young && !(t->has_preload && t->has_core))) ||
            waited >= SETTLE_MS)
            return 0;
        tp_target_free(t);
        usleep(SETTLE_STEP_MS * 1000);
    }
}

/* Checks the target can be traced; prints why not. */
static int check_target(const tp_target *t)
{
    if (!t->has_preload) {
        fprintf(stderr, "tph: PID %d (%s) was not started with the preload: start it with "
                "'tph run -- COMMAND' or LD_PRELOAD=/path/to/libtracepatch.so COMMAND\n",
                (int)t->pid, t->comm);
        return 1;
    }
    if (!t->has_core) {
        fprintf(stderr, "tph: PID %d (%s) has the preload but no tracepatch core: it is not a "
                "CPython the preload traces\n", (int)t->pid, t->comm);
        return 1;
    }
    if (t->signal == 0) {
        fprintf(stderr, "tph: PID %d (%s) has its window signal turned off (signal = none)\n",
                (int)t->pid, t->comm);
        return 1;
    }
    return 0;
}

/* Waits (up to SETTLE_MS) for the target to catch its window signal: the
 * core catches it from its start, but only once it has read its
 * configuration, a moment after the core appears in the maps; sent
 * before that, the signal's default action would end the process. */
static int wait_until_caught(const tp_target *t)
{
    for (int waited = 0;; waited += SETTLE_STEP_MS) {
        tp_signal_use use = tp_target_signal_use(t->pid, t->signal);
        if (use == TP_SIGNAL_CAUGHT)
            return 0;
        if (use == TP_SIGNAL_IGNORED) {
            fprintf(stderr, "tph: PID %d (%s) ignores %s (the app set it so): no window to open\n",
                    (int)t->pid, t->comm, tp_signal_name(t->signal));
            return 1;
        }
        if (waited >= SETTLE_MS) {
            fprintf(stderr, "tph: PID %d (%s) does not catch %s yet, and it would end the "
                    "process: still starting? try again\n", (int)t->pid, t->comm,
                    tp_signal_name(t->signal));
            return 1;
        }
        usleep(SETTLE_STEP_MS * 1000);
    }
}

static int signal_target(const tp_target *t, const char *why)
{
    if (kill(t->pid, t->signal) == 0)
        return 0;
    if (errno == ESRCH)
        fprintf(stderr, "tph: PID %d: no such process (it ended before the window %s)\n",
                (int)t->pid, why);
    else
        fprintf(stderr, "tph: PID %d (%s): not permitted to send it %s: it belongs to uid %u; "
                "run tph as that user or as root\n", (int)t->pid, t->comm,
                tp_signal_name(t->signal), (unsigned)t->uid);
    return 1;
}

/* The target's cache directory and its fallback directory (where the
 * trace goes when the cache cannot take it); `dir` NULL: not watched. */
struct watches {
    tp_trace_watch cache, fallback;
};

/* Watches both; one that cannot be read (another user's, or a file in the
 * way) is left out, as the core cannot write there either. -1 with the
 * cache directory's reason when neither can be watched. */
static int start_watches(struct watches *w, const tp_target *t, tp_buf *err)
{
    tp_buf ignored = TP_BUF_INIT;
    if (tp_watch_start(&w->cache, t->cache_dir, t->pid, err) != 0)
        w->cache.dir = NULL;
    if (!t->fallback_dir || strcmp(t->fallback_dir, t->cache_dir) == 0 ||
        tp_watch_start(&w->fallback, t->fallback_dir, t->pid, &ignored) != 0)
        w->fallback.dir = NULL;
    tp_buf_free(&ignored);
    return w->cache.dir || w->fallback.dir ? 0 : -1;
}

/* Waits up to `ms` for the trace in either directory. */
static int wait_either(struct watches *w, long ms, tp_buf *path)
{
    tp_trace_watch *one = !w->fallback.dir ? &w->cache : !w->cache.dir ? &w->fallback : NULL;
    if (one)
        return tp_watch_wait(one, ms, path);
    for (long left = ms;; left -= 100) {
        if (tp_watch_wait(&w->cache, left < 100 ? left : 100, path) ||
            tp_watch_wait(&w->fallback, 0, path))
            return 1;
        if (left <= 100)
            return 0;
    }
}

/* Opens the window, closes it (unless it closed by itself first) and waits
 * for the file. */
static int capture(const struct trace_args *a, const tp_target *t, struct watches *w, tp_buf *path)
{
    if (signal_target(t, "opened") != 0)
        return 1;
    fprintf(stderr, "tph: %s sent to PID %d (%s) to open a window; closing it in %gs\n",
            tp_signal_name(t->signal), (int)t->pid, t->comm, a->seconds);
    if (wait_either(w, (long)(a->seconds * 1000), path))
        return 0;
    if (kill(t->pid, t->signal) != 0 && errno != ESRCH)
        return signal_target(t, "closed");
    if (wait_either(w, (long)(a->wait * 1000), path))
        return 0;
    /* From outside, the app's own handler for the signal looks like ours
     * (both are Python's): gunicorn's workers reopen their logs on SIGUSR1,
     * and the core said so once on the app's stderr at start. */
    fprintf(stderr, "tph: no trace from PID %d in %s after %gs: if the app handles %s itself "
            "(gunicorn does), its stderr said so and no window opened: set signal = \"RTMIN\" "
            "there; else, is it still running? check its stderr and tph config there\n",
            (int)t->pid, t->cache_dir, a->wait, tp_signal_name(t->signal));
    return 1;
}

static int show(const char *output, bool use_pager, char *path)
{
    if (strcmp(output, "path") == 0) {
        printf("%s\n", path);
        return 0;
    }
    if (strcmp(output, "none") == 0)
        return 0;
    fprintf(stderr, "tph: %s\n", path);
    char *args[] = {(char *)output, path, use_pager ? NULL : "--no-pager", NULL};
    int n = use_pager ? 2 : 3;
    optind = 0;   /* the command parses its own options from the start */
    return strcmp(output, "stats") == 0 ? cmd_stats(n, args) : cmd_tree(n, args);
}

int cmd_trace(int argc, char **argv)
{
    struct trace_args a = {0, 5, 10, "tree", true};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    tp_target t;
    tp_buf err = TP_BUF_INIT, path = TP_BUF_INIT;
    struct watches w = {{.fd = -1}, {.fd = -1}};
    rc = 1;
    if (open_target(&t, a.pid, &err) != 0 || tp_target_config(&t, &err) != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    else if (check_target(&t) == 0 && wait_until_caught(&t) == 0 &&
             start_watches(&w, &t, &err) != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    else if ((w.cache.dir || w.fallback.dir) && capture(&a, &t, &w, &path) == 0)
        rc = show(a.output, a.use_pager, path.data);
    tp_watch_stop(&w.cache);
    tp_watch_stop(&w.fallback);
    tp_target_free(&t);
    tp_buf_free(&err);
    tp_buf_free(&path);
    return rc;
}
