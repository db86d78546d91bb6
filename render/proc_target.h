/* A running process as tph trace sees it through /proc: whether it has
 * the preload and a core loaded, its environment and working directory,
 * and from those (with its config file) the signal that opens and closes a
 * window and the directory its traces go to. */
#ifndef TPH_PROC_TARGET_H
#define TPH_PROC_TARGET_H

#include "buf.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct tp_target {
    pid_t pid;
    char comm[64];          /* the process's name, or "?" */
    uid_t uid;
    char *cwd;              /* absolute */
    char *environ;          /* NUL-separated NAME=VALUE */
    size_t environ_len;
    bool has_preload, has_core;
    bool runs_tph;          /* its program is this tph: `tph run` before its exec */
    long age_ms;            /* since it started; -1 unknown */
    int signal;             /* 0: the window signal is off */
    char *cache_dir;        /* absolute */
    char *fallback_dir;     /* where its traces go when cache_dir cannot take them;
                               NULL: nowhere (fallback_dir = "none") */
} tp_target;

/* Reads /proc/PID. Returns 0, or -1 with a one-line reason (no "tph: "
 * prefix) in `err`: no such process, not permitted, unreadable. */
int tp_target_open(tp_target *t, pid_t pid, tp_buf *err);

/* Works out `signal`, `cache_dir` and `fallback_dir` as the target's own
 * config loading
 * does: its config file found from its working directory, then its
 * TRACEPATCH_* variables. Returns 0, or -1 with a reason in `err`. */
int tp_target_config(tp_target *t, tp_buf *err);

/* What the process does with `signo` now (/proc/PID/status): it has a
 * handler, ignores it, or leaves the default (for the window signals,
 * ending the process). The core's handler is in place only once the core
 * has read its configuration, a moment after it shows up in the maps. */
typedef enum { TP_SIGNAL_DEFAULT, TP_SIGNAL_CAUGHT, TP_SIGNAL_IGNORED } tp_signal_use;
tp_signal_use tp_target_signal_use(pid_t pid, int signo);

/* The value of NAME in the target's environment, or NULL. */
const char *tp_target_getenv(const tp_target *t, const char *name);

void tp_target_free(tp_target *t);

#endif
