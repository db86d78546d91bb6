#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cache_dir.h"
#include "log.h"
#include "trace_json.h"
#include "trace_name.h"
#include "window_ctl.h"

/* Writer threads still running. Touched by the closing thread (GIL held)
 * and by the writer threads themselves, always under `lock`. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static int running;
/* The process those threads belong to, set under `lock` when one starts;
 * read without it by tp_writer_wait_all, which must not take a `lock` that
 * a child forked without Python knowing (a C extension's fork()) may have
 * inherited held, with `running` but no thread. */
static pid_t writers_pid;

/* A directory of a window's (its cache or fallback directory): relative
 * paths are taken from the working directory at window start (left
 * relative if getcwd failed). */
static void window_path(const tp_window *w, const char *dir, tp_buf *out)
{
    if (dir[0] != '/' && !w->cwd_unknown) {
        tp_buf_puts(out, w->cwd);
        tp_buf_putc(out, '/');
    }
    tp_buf_puts(out, dir);
}

/* The directory as the "calls ->" line shows it: as configured, unless it
 * is relative and the window started in another directory than the one
 * the process started in (a daemon's chdir("/")), where the configured
 * path would send the reader to the wrong place: then in full. */
static const char *shown_dir(const tp_window *w, const char *full)
{
    const char *dir = w->cfg->cache_dir, *home = w->cfg->loaded_in;
    if (dir && (dir[0] == '/' || (home && strcmp(home, w->cwd) == 0)))
        return dir;
    return full;
}

/* Why a write failed, for the "trace not written" line. */
static void failure_text(int err, int dirfd, const tp_config *cfg, char *out, size_t size)
{
    struct statvfs fs;
    if (err != TP_TRACE_JSON_NO_ROOM)
        snprintf(out, size, "%s", strerror(err));
    else if (fstatvfs(dirfd, &fs) == 0)
        snprintf(out, size, "its file system has %llu MB free, and min_free_mb is %ld",
                 (unsigned long long)fs.f_bavail * fs.f_frsize >> 20, cfg->min_free_mb);
    else
        snprintf(out, size, "it would leave less than min_free_mb (%ld MB) free",
                 cfg->min_free_mb);
}

/* Writes to a temporary name in `dir`, then renames: a reader never sees
 * half a file. True when the file is there; else why not, in `why`. */
static bool write_in(tp_window *w, const char *dir, const char *name, tp_buf *why)
{
    tp_buf tmp = TP_BUF_INIT;
    tp_buf_printf(&tmp, ".%s.tmp", name);
    int dirfd = tmp.failed ? -1 : tp_cache_dir_open(dir, why);
    if (dirfd < 0) {
        if (tmp.failed)
            tp_buf_puts(why, "out of memory");
        else if (w->cwd_unknown && dir[0] != '/')
            tp_buf_printf(why, " (working directory: %s)", w->cwd);
        tp_buf_free(&tmp);
        return false;
    }
    int err = 0;
    int fd = openat(dirfd, tp_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0600);
    if (fd < 0) {
        tp_buf_printf(why, "cannot create %s/%s: %s", dir, tp_buf_cstr(&tmp), strerror(errno));
    } else {
        err = tp_trace_json_write(w, fd);
        if (close(fd) != 0 && !err)
            err = errno;
        if (!err && renameat(dirfd, tp_buf_cstr(&tmp), dirfd, name) != 0)
            err = errno;
        if (err) {
            char reason[160];
            unlinkat(dirfd, tp_buf_cstr(&tmp), 0);
            failure_text(err, dirfd, w->cfg, reason, sizeof reason);
            tp_buf_printf(why, "%s/%s: %s", dir, name, reason);
        }
    }
    close(dirfd);
    tp_buf_free(&tmp);
    return fd >= 0 && !err;
}

/* Why a window that a limit closed ended early, for the line saying where
 * it went: "" for a window closed by its trigger. A window the signal
 * opened then needs its closing signal no more: the next one opens a new
 * window, and whoever sends the signals by hand should know that. */
static void limit_note(const tp_window *w, char *out, size_t size)
{
    const char *r = w->end_reason;
    out[0] = '\0';
    if (!r || (strcmp(r, "max_calls") != 0 && strcmp(r, "max_seconds") != 0 &&
               strcmp(r, "max_memory") != 0))
        return;
    if (strcmp(w->trigger, "signal") == 0 && w->cfg->signal)
        snprintf(out, size, "%s reached; the next %s opens a new window", r,
                 tp_signal_name(w->cfg->signal));
    else
        snprintf(out, size, "%s reached", r);
}

/* The window's file in its cache directory, or, when that cannot take it
 * (no permission, a read-only or full file system, a directory refused),
 * in the private fallback directory, saying so: one line either way. */
static void write_file(tp_window *w)
{
    tp_buf dir = TP_BUF_INIT, fallback = TP_BUF_INIT, name = TP_BUF_INIT, why = TP_BUF_INIT,
           why_fallback = TP_BUF_INIT;
    window_path(w, w->cfg->cache_dir ? w->cfg->cache_dir : ".tracepatch_cache", &dir);
    if (w->fallback_dir)
        window_path(w, w->fallback_dir, &fallback);
    tp_trace_file_name(&name, &w->start_wall, w->label, getpid());
    char note[96];
    limit_note(w, note, sizeof note);
    if (dir.failed || fallback.failed || name.failed) {
        tp_log("trace not written: out of memory");   /* not some file's fault */
    } else if (write_in(w, tp_buf_cstr(&dir), tp_buf_cstr(&name), &why)) {
        if (!w->cfg->quiet && !w->partial)
            tp_log("%llu calls -> %s/%s%s%s%s", (unsigned long long)w->call_count,
                   shown_dir(w, tp_buf_cstr(&dir)), tp_buf_cstr(&name), *note ? " (" : "", note,
                   *note ? ")" : "");
    } else if (w->fallback_dir && strcmp(tp_buf_cstr(&dir), tp_buf_cstr(&fallback)) != 0 &&
               write_in(w, tp_buf_cstr(&fallback), tp_buf_cstr(&name), &why_fallback)) {
        if (!w->partial)
            tp_log("%llu calls -> %s/%s (%s%s%s)", (unsigned long long)w->call_count,
                   tp_buf_cstr(&fallback), tp_buf_cstr(&name), tp_buf_cstr(&why),
                   *note ? "; " : "", note);
    } else if (why_fallback.len) {
        tp_log("trace not written: %s; fallback: %s", tp_buf_cstr(&why),
               tp_buf_cstr(&why_fallback));
    } else {
        tp_log("trace not written: %s", tp_buf_cstr(&why));
    }
    tp_buf_free(&dir);
    tp_buf_free(&fallback);
    tp_buf_free(&name);
    tp_buf_free(&why);
    tp_buf_free(&why_fallback);
}

static bool start_writer(tp_window *w);

/* A snapshot being written must land before the final file, which would
 * otherwise be replaced by an older, partial one. */
static void wait_for_snapshots(tp_window *w)
{
    pthread_mutex_lock(&lock);
    while (w->snapshots_running > 0)
        pthread_cond_wait(&all_done, &lock);
    pthread_mutex_unlock(&lock);
}

void tp_writer_write_now(tp_window *w)
{
    wait_for_snapshots(w);
    write_file(w);
    tp_window_free(w);
}

static void *writer_main(void *arg)
{
    tp_window *w = arg;
    int *snapshot_of = w->snapshot_of;
    tp_writer_write_now(w);
    pthread_mutex_lock(&lock);
    if (snapshot_of)
        (*snapshot_of)--;
    running--;
    pthread_cond_broadcast(&all_done);
    pthread_mutex_unlock(&lock);
    return NULL;
}

bool tp_writer_snapshots_running(tp_window *live)
{
    pthread_mutex_lock(&lock);
    bool busy = live->snapshots_running > 0;
    pthread_mutex_unlock(&lock);
    return busy;
}

void tp_writer_submit_snapshot(tp_window *snapshot, tp_window *live)
{
    pthread_mutex_lock(&lock);
    live->snapshots_running++;
    pthread_mutex_unlock(&lock);
    snapshot->snapshot_of = &live->snapshots_running;
    if (!start_writer(snapshot)) {
        pthread_mutex_lock(&lock);
        live->snapshots_running--;
        pthread_mutex_unlock(&lock);
        tp_window_free(snapshot);
    }
}

/* Starts a detached writer thread for `w`; false if none could start. */
static bool start_writer(tp_window *w)
{
    pthread_attr_t attr;
    pthread_t tid;
    if (pthread_attr_init(&attr) != 0)
        return false;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_mutex_lock(&lock);
    running++;
    writers_pid = getpid();
    pthread_mutex_unlock(&lock);
    /* No signal of the app's should land on our thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&tid, &attr, writer_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc == 0)
        return true;
    pthread_mutex_lock(&lock);
    running--;
    pthread_mutex_unlock(&lock);
    return false;
}

void tp_writer_submit(tp_window *w)
{
    if (!start_writer(w))
        tp_writer_write_now(w);
}

void tp_writer_wait_all(void)
{
    if (writers_pid != 0 && writers_pid != getpid()) {
        tp_writer_forget_after_fork();   /* none of them is ours to wait for */
        return;
    }
    pthread_mutex_lock(&lock);
    while (running > 0)
        pthread_cond_wait(&all_done, &lock);
    pthread_mutex_unlock(&lock);
}

void tp_writer_forget_after_fork(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;
    lock = fresh;
    all_done = fresh_cond;
    running = 0;
    writers_pid = 0;
}
