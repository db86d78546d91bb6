#include "trace_wait.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define RESCAN_MS 200

/* trace_<...>_<PID>.json */
static bool is_trace_of(const char *name, pid_t pid)
{
    char tail[32];
    int n = snprintf(tail, sizeof tail, "_%d.json", (int)pid);
    size_t len = strlen(name);
    return strncmp(name, "trace_", 6) == 0 && len > 6 + (size_t)n &&
           strcmp(name + len - (size_t)n, tail) == 0;
}

/* The oldest (smallest) name of the PID's traces not in `before`, or, when
 * `remember` is set, records every such name in `before`. */
static int scan(tp_trace_watch *w, bool remember, tp_buf *found)
{
    DIR *d = opendir(w->dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    size_t ignored;
    bool added;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_trace_of(e->d_name, w->pid) || tp_strmap_get(&w->before, e->d_name, &ignored))
            continue;
        if (remember) {
            if (!tp_strmap_intern(&w->before, e->d_name, 0, &ignored, &added)) {
                closedir(d);
                errno = ENOMEM;
                return -1;
            }
        } else if (found->len == 0 || strcmp(e->d_name, tp_buf_cstr(found)) < 0) {
            tp_buf_reset(found);
            tp_buf_puts(found, e->d_name);
        }
    }
    closedir(d);
    return 0;
}

static void try_watch(tp_trace_watch *w)
{
    if (w->fd >= 0 && !w->watching)
        w->watching = inotify_add_watch(w->fd, w->dir, IN_MOVED_TO | IN_CLOSE_WRITE) >= 0;
}

int tp_watch_start(tp_trace_watch *w, const char *dir, pid_t pid, tp_buf *err)
{
    *w = (tp_trace_watch){dir, pid, inotify_init1(IN_CLOEXEC | IN_NONBLOCK), false, TP_STRMAP_INIT};
    try_watch(w);
    if (scan(w, true, NULL) != 0) {
        tp_buf_printf(err, "%s: %s", dir, strerror(errno));
        tp_watch_stop(w);
        return -1;
    }
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void drain(int fd)
{
    char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (read(fd, events, sizeof events) > 0)
        ;
}

int tp_watch_wait(tp_trace_watch *w, long timeout_ms, tp_buf *path)
{
    long deadline = now_ms() + timeout_ms;
    tp_buf name = TP_BUF_INIT;
    int found = 0;
    for (;;) {
        try_watch(w);
        scan(w, false, &name);
        if (name.len) {
            tp_buf_reset(path);
            tp_buf_printf(path, "%s/%s", w->dir, tp_buf_cstr(&name));
            found = 1;
            break;
        }
        long left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd p = {w->watching ? w->fd : -1, POLLIN, 0};
        if (poll(&p, 1, (int)(left < RESCAN_MS ? left : RESCAN_MS)) > 0)
            drain(w->fd);
    }
    tp_buf_free(&name);
    return found;
}

void tp_watch_stop(tp_trace_watch *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    tp_strmap_free(&w->before);
}
