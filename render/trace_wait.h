/* Waiting for a process's next trace file: the core writes .NAME.tmp in
 * the cache directory and renames it to trace_..._<PID>.json. The names
 * present when watching starts are remembered; the first other name for
 * that PID is the new trace. inotify makes the wait prompt; the directory
 * is also rescanned every 200 ms, which covers a cache directory that does
 * not exist yet or a file system without inotify. */
#ifndef TPH_TRACE_WAIT_H
#define TPH_TRACE_WAIT_H

#include "buf.h"
#include "strmap.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct tp_trace_watch {
    const char *dir;
    pid_t pid;
    int fd;              /* inotify, or -1 */
    bool watching;       /* the directory itself is watched */
    tp_strmap before;    /* names there when watching started */
} tp_trace_watch;

/* Starts watching `dir` (which may not exist yet). Returns 0, or -1 when
 * the directory exists but cannot be read (reason in `err`). */
int tp_watch_start(tp_trace_watch *w, const char *dir, pid_t pid, tp_buf *err);

/* Waits up to `timeout_ms` for a new trace of the PID. Returns 1 with its
 * path in `path`, 0 when the time ran out. */
int tp_watch_wait(tp_trace_watch *w, long timeout_ms, tp_buf *path);

void tp_watch_stop(tp_trace_watch *w);

#endif
