#include "trigger_file.h"

#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "compat/fork_warning.h"
#include "compat/pending_calls.h"
#include "log.h"
#include "window_ctl.h"

#define POLL_MS 100

/* The watcher's state. `path` is set at set-up and never changes;
 * `stopping` is guarded by `lock`; `running`, `paused` and `watcher` by the
 * GIL (started and joined with it held); `lock` and `wake` are made anew
 * in a forked child, which has no watcher. `was_present` is the watcher's
 * own, kept across a pause so that a file removed meanwhile still closes
 * the window. */
static const char *path;
static pthread_t watcher;
static bool running;
static bool paused;
static bool stopping;
static bool was_present;
static pid_t watcher_tid;   /* set by the watcher; read after joining it */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

/* Present, and safe to obey: a regular file of ours, not a symlink. */
static bool trigger_present(bool *warned)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return false;
    const char *why = S_ISLNK(st.st_mode) ? "it is a symlink"
                      : st.st_uid != geteuid() ? "it belongs to another user"
                                               : NULL;
    if (why && !*warned)
        tp_log("trigger file %s refused: %s", path, why);
    *warned = why != NULL;
    return why == NULL;
}

static void apply(bool present)
{
    PyGILState_STATE g = PyGILState_Ensure();
    char how[512];
    snprintf(how, sizeof how, "trigger file %s", path);
    if (present && !tp_window_is_open())
        tp_window_open("trigger_file", how);
    else if (!present && tp_window_is_open())
        tp_window_close("trigger_file");
    PyGILState_Release(g);
}

static bool wait_or_stop(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += POLL_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&lock);
    while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) != ETIMEDOUT)
        ;
    bool stop = stopping;
    pthread_mutex_unlock(&lock);
    return stop;
}

static void *watch(void *arg)
{
    (void)arg;
    bool warned = false;
    watcher_tid = (pid_t)syscall(SYS_gettid);
    do {
        bool present = trigger_present(&warned);
        if (present != was_present)
            apply(present);
        was_present = present;
    } while (!wait_or_stop());
    return NULL;
}

static void start_thread(void)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    stopping = false;
    running = pthread_create(&watcher, NULL, watch, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!running)
        tp_log("cannot watch trigger file %s: no thread", path);
}

void tp_trigger_start(const char *p)
{
    if (!p || !*p || running)
        return;
    path = p;
    start_thread();
}

void tp_trigger_stop(void)
{
    paused = false;   /* at exit: a resume still pending must not start it */
    if (!running)
        return;
    /* Marked stopped before the GIL is let go: another thread stopping
     * meanwhile (a second fork) must not join this thread again. */
    running = false;
    pthread_t joined = watcher;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    /* The watcher may be waiting for the GIL we hold. */
    Py_BEGIN_ALLOW_THREADS
    pthread_join(joined, NULL);
    Py_END_ALLOW_THREADS
}

/* pthread_join returns once the kernel has cleared the thread's tid, a
 * moment before the kernel stops counting the thread, and os.fork() reads
 * that count (/proc/self/stat). Both go together with its /proc entry. */
static void wait_until_gone(pid_t tid)
{
    char entry[64];
    snprintf(entry, sizeof entry, "/proc/self/task/%ld", (long)tid);
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < 400 && access(entry, F_OK) == 0; i++)
        usleep(50);
    Py_END_ALLOW_THREADS
}

void tp_trigger_pause_for_fork(void)
{
    if (!running)
        return;
    tp_fork_note_caller();
    tp_trigger_stop();
    wait_until_gone(watcher_tid);
    paused = true;
}

static void resume_now(void)
{
    if (paused && !running) {
        paused = false;
        start_thread();
    }
}

/* A pending call, on the main thread when it runs Python: asks again while
 * os.fork() may still be running the at-fork functions (Python ones run
 * pending calls too), then starts the watcher. */
static int resume_watcher(void *unused)
{
    (void)unused;
    if (paused && tp_fork_may_still_count() && Py_AddPendingCall(resume_watcher, NULL) == 0)
        return 0;
    resume_now();
    return 0;
}

void tp_trigger_resume_after_fork(void)
{
    if (!paused || running)
        return;
    if (tp_fork_counted_already() || !tp_pending_calls_open() ||
        Py_AddPendingCall(resume_watcher, NULL) != 0)
        resume_now();   /* better a warning than no watcher */
}

void tp_trigger_after_fork(void)
{
    if (!path)
        return;
    pthread_mutex_t fresh_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t fresh_wake = PTHREAD_COND_INITIALIZER;
    lock = fresh_lock;
    wake = fresh_wake;
    running = paused = false;
    was_present = false;   /* the child has no window of its own yet */
    start_thread();
}
