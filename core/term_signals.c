#include "term_signals.h"

#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "app_exceptions.h"
#include "compat/errstate.h"
#include "compat/pending_calls.h"
#include "log.h"
#include "main_thread.h"
#include "window_ctl.h"
#include "writer.h"

/* Signals whose default action ends the process without a core, and that
 * services are sent: by process managers (TERM), a closing terminal or a
 * reload without handler (HUP), and Ctrl-C once an app chose SIG_DFL for
 * it (INT; Python's own default raises KeyboardInterrupt, and exits
 * through atexit). Each is taken only while a window is open and only
 * when its action is the default one. */
static const int term_signals[] = {SIGTERM, SIGHUP, SIGINT};
#define N_TERM_SIGNALS (sizeof term_signals / sizeof term_signals[0])

/* How long a taken signal may wait for the main thread to write the
 * window: the main thread may be busy in C code that never reaches a safe
 * point (a long sum() or sort), or in a __repr__ blocked on a lock its
 * caller holds. After that the process dies as it would have at once. */
#define GRACE_S 5
#define SECONDS_TEXT(s) #s
#define GRACE_TEXT(s) SECONDS_TEXT(s)

typedef struct {
    int signo;
    PyObject *handler;           /* our Python-level handler, while installed */
    PyObject *previous;          /* what signal.getsignal() said before (given back) */
    struct sigaction python_raw; /* Python's C-level handler, which ours calls */
    timer_t grace;               /* delivers `signo` with SI_TIMER after GRACE_S */
    volatile sig_atomic_t grace_armed;
} taken_signal;

/* One entry per term_signals[]. Written by the main thread with the GIL
 * (install, uninstall, after fork); the C-level handler, on any thread,
 * reads `python_raw` and `grace`, which are set before it is installed and
 * only changed after it is removed, and sets `grace_armed`. */
static taken_signal taken[N_TERM_SIGNALS];

/* The signal the process is dying of, for die_after_write(), and whether
 * a recording step is to write the window before it does (GIL held). */
static int dying_signo;
static bool dying_after_step;

/* Set when the write of the window of a dying process begins: a write
 * that has begun runs no Python code and is let finish, so from then on
 * no grace is counted, whichever taken signal arrives. Written on the main
 * thread, read by on_raw on any thread. */
static volatile sig_atomic_t writing_to_die;

static taken_signal *taken_for(int signo)
{
    for (size_t i = 0; i < N_TERM_SIGNALS; i++)
        if (taken[i].signo == signo)
            return &taken[i];
    return NULL;
}

/* Async-signal-safe: timer_settime is. Only the first arming counts. */
static bool arm_grace(taken_signal *t)
{
    if (t->grace_armed)
        return true;
    struct itimerspec in = {.it_value = {GRACE_S, 0}};
    if (timer_settime(t->grace, 0, &in, NULL) != 0)
        return false;
    t->grace_armed = 1;
    return true;
}

static void disarm_grace(taken_signal *t)
{
    struct itimerspec off = {.it_value = {0, 0}};
    if (timer_settime(t->grace, 0, &off, NULL) == 0)
        t->grace_armed = 0;
}

/* Dies the way the default action would have; async-signal-safe. The
 * signal is unblocked: inside a handler, or on a main thread that blocks
 * it, raise() alone would leave it pending. */
static void die_by(int signo)
{
    signal(signo, SIG_DFL);
    raise(signo);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Appends `text` to line[*n..cap); async-signal-safe. */
static void put_text(char *line, size_t *n, size_t cap, const char *text)
{
    while (*text && *n < cap)
        line[(*n)++] = *text++;
}

static void put_number(char *line, size_t *n, size_t cap, unsigned long v)
{
    char digits[24];
    size_t k = 0;
    do
        digits[k++] = (char)('0' + v % 10);
    while ((v /= 10) && k < sizeof digits);
    while (k && *n < cap)
        line[(*n)++] = digits[--k];
}

/* The grace ran out: the window is lost, and the reader of stderr should
 * know why there is no file. Async-signal-safe (no stdio): one write. */
static void say_window_lost(int signo)
{
    char line[200];
    size_t n = 0;
    put_text(line, &n, sizeof line, "tracepatch[");
    put_number(line, &n, sizeof line, (unsigned long)getpid());
    put_text(line, &n, sizeof line,
             signo == SIGTERM ? "]: SIGTERM" : signo == SIGHUP ? "]: SIGHUP" : "]: SIGINT");
    put_text(line, &n, sizeof line, ": the window was not written within " GRACE_TEXT(GRACE_S)
                                    " s (no safe point on the main thread, or a __repr__ that "
                                    "did not return): ending without it\n");
    if (tp_log_stderr_ok()) {
        ssize_t w = write(STDERR_FILENO, line, n);
        (void)w;
    }
}

/* In front of Python's handler, on whichever thread the kernel chose:
 * starts the grace period at the signal's arrival, since Python's handler
 * (and ours) only runs when the main thread next reaches a safe point. */
static void on_raw(int signo, siginfo_t *info, void *context)
{
    taken_signal *t = taken_for(signo);
    if (!t)
        return;
    int saved_errno = errno;
    bool expired = info && info->si_code == SI_TIMER && info->si_value.sival_ptr == t;
    if (expired && !writing_to_die) {
        say_window_lost(signo);
        die_by(signo);
    } else if (!expired) {
        if (!writing_to_die)
            arm_grace(t);
        if (t->python_raw.sa_flags & SA_SIGINFO)
            t->python_raw.sa_sigaction(signo, info, context);
        else
            t->python_raw.sa_handler(signo);
    }
    errno = saved_errno;
}

/* Whether a taken signal's grace has run out: its timer was armed and
 * has nothing left. For when the expiry reached Python's handler and not
 * on_raw (the app restored our Python handler with signal.signal(), which
 * put Python's C-level handler in front again). */
static bool grace_ran_out(int *signo)
{
    for (size_t i = 0; i < N_TERM_SIGNALS; i++) {
        struct itimerspec left;
        if (taken[i].handler && taken[i].grace_armed &&
            timer_gettime(taken[i].grace, &left) == 0 && left.it_value.tv_sec == 0 &&
            left.it_value.tv_nsec == 0) {
            *signo = taken[i].signo;
            return true;
        }
    }
    return false;
}

/* The write of the window begins: no grace from here on. */
static void write_begins(void)
{
    writing_to_die = 1;
    for (size_t i = 0; i < N_TERM_SIGNALS; i++)
        if (taken[i].handler)
            disarm_grace(&taken[i]);
}

static void die_after_write(void)
{
    tp_writer_wait_all();
    die_by(dying_signo);
}

/* Our C-level handler in front of the one signal.signal() set (again:
 * an app that restores a handler it saved, ours, puts Python's C-level
 * one back in front). */
static void put_raw_in_front(taken_signal *t)
{
    struct sigaction cur;
    if (sigaction(t->signo, NULL, &cur) != 0 ||
        ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_raw) ||
        (!(cur.sa_flags & SA_SIGINFO) && (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN)))
        return;
    t->python_raw = cur;
    /* Python's flags (no SA_RESTART: a blocking call must return EINTR
     * for Python to run its handlers) and mask, plus the siginfo that
     * tells our timer from a sender. */
    struct sigaction ours = t->python_raw;
    ours.sa_sigaction = on_raw;
    ours.sa_flags |= SA_SIGINFO;
    if (sigaction(t->signo, &ours, NULL) != 0)
        tp_debug("signal %d: grace counted from the handler's run only", t->signo);
}

/* Python-level handler, main thread at a safe point. It can run inside a
 * recording step (a __repr__ we called reached a safe point): then the
 * window is written, and the process killed, when that step is done with
 * it, normally microseconds later, at most GRACE_S after this handler. */
static PyObject *on_signal(PyObject *self, PyObject *args)
{
    (void)self;
    int signo = 0;
    PyObject *frame = NULL;
    if (!PyArg_ParseTuple(args, "i|O", &signo, &frame))
        return NULL;
    taken_signal *t = taken_for(signo);
    if (t && t->handler)
        put_raw_in_front(t);
    /* Another signal while the window waits for its step: the step writes
     * it and ends the process; dying now would lose it. Unless the grace
     * has run out and only Python's handler heard of it. */
    int expired_signo;
    if (dying_after_step && grace_ran_out(&expired_signo)) {
        say_window_lost(expired_signo);
        die_by(expired_signo);
    }
    if (dying_after_step)
        Py_RETURN_NONE;
    dying_signo = signo;
    if ((!tp_window_is_open() && !tp_window_awaiting()) || !t)
        die_after_write();
    tp_window_close_in_place_then("exit", write_begins, die_after_write);
    /* Still here: a recording step still uses the window, and writes it
     * when done. It may never be (a stuck __repr__): the grace again. */
    if (!arm_grace(t))
        die_after_write();
    dying_after_step = true;
    Py_RETURN_NONE;
}

/* Never written (CPython's API takes it non-const). */
static PyMethodDef on_signal_def = {"_tracepatch_term_signal", on_signal, METH_VARARGS, NULL};

static bool action_is_default(int signo)
{
    struct sigaction cur;
    return sigaction(signo, NULL, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) &&
           cur.sa_handler == SIG_DFL;
}

static bool make_grace_timer(taken_signal *t)
{
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = t->signo};
    ev.sigev_value.sival_ptr = t;
    t->grace_armed = 0;
    return timer_create(CLOCK_MONOTONIC, &ev, &t->grace) == 0;
}

/* signal.signal(signo, fn). CPython first runs the Python handlers of
 * signals that have arrived, and fails if one of the app's raises: that
 * exception is the app's, raised in it later (app_exceptions.h), and the
 * change is tried again. */
static bool set_handler(PyObject *mod, int signo, PyObject *fn)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        PyObject *r = PyObject_CallMethod(mod, "signal", "iO", signo, fn);
        if (r) {
            Py_DECREF(r);
            return true;
        }
        tp_errstate e;
        tp_err_save(&e);
        if (!tp_app_exception_raise_later(&e)) {
            tp_err_restore(&e);   /* dropped with our errors by the caller */
            return false;
        }
    }
    return false;
}

/* Without its grace timer a taken signal could wait for ever on a busy
 * main thread, so a signal that cannot have one is left alone. */
static void take(taken_signal *t, PyObject *mod)
{
    if (t->handler || !action_is_default(t->signo))
        return;
    if (!make_grace_timer(t)) {
        tp_debug("signal %d left alone: no timer", t->signo);
        return;
    }
    PyObject *fn = PyCFunction_New(&on_signal_def, NULL);
    PyObject *previous = fn ? PyObject_CallMethod(mod, "getsignal", "i", t->signo) : NULL;
    if (previous && set_handler(mod, t->signo, fn)) {
        t->handler = fn;
        t->previous = previous;
        put_raw_in_front(t);
    } else {
        timer_delete(t->grace);
        Py_XDECREF(fn);
        Py_XDECREF(previous);
    }
}

static int install(void *arg)
{
    (void)arg;
    if (!tp_window_is_open())
        return 0;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mod = PyImport_ImportModule("_signal");
    for (size_t i = 0; mod && i < N_TERM_SIGNALS; i++) {
        taken[i].signo = term_signals[i];
        take(&taken[i], mod);
    }
    Py_XDECREF(mod);
    tp_err_restore(&saved);
    return 0;
}

/* The previous handler again, if the handler is still ours (the app may
 * have put its own in place meanwhile); Python's signal.signal() replaces
 * our C-level handler with it. `in_child`: after a fork, which kept the
 * handlers but not the timer. */
static void give_back(taken_signal *t, PyObject *mod, bool in_child)
{
    PyObject *cur = PyObject_CallMethod(mod, "getsignal", "i", t->signo);
    if (cur && cur == t->handler) {
        /* None: set from C before Python started; SIG_DFL is what it was. */
        PyObject *back = t->previous && t->previous != Py_None ? t->previous : NULL;
        if (back)
            Py_INCREF(back);
        else
            back = PyObject_GetAttrString(mod, "SIG_DFL");
        bool given = back && set_handler(mod, t->signo, back);
        Py_XDECREF(back);
        if (!given) {
            /* Still ours, timer and all: the next close tries again. */
            Py_XDECREF(cur);
            return;
        }
        /* The signal arrived while it was ours and Python has not run our
         * handler yet (the window closed first, by SIGUSR1 handled in the
         * same batch, say): Python would now find the default action and
         * drop it with an OSError ("ignored due to race condition") in
         * the app. The process dies by it, as it would have at arrival. */
        if (t->grace_armed && !in_child) {
            dying_signo = t->signo;
            die_after_write();
        }
    }
    Py_XDECREF(cur);
    if (!in_child)
        timer_delete(t->grace);
    Py_CLEAR(t->handler);
    Py_CLEAR(t->previous);
}

static void give_all_back(bool in_child)
{
    /* A child's Python forgot what arrived before the fork. */
    for (size_t i = 0; in_child && i < N_TERM_SIGNALS; i++)
        taken[i].grace_armed = 0;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mod = PyImport_ImportModule("_signal");
    for (size_t i = 0; mod && i < N_TERM_SIGNALS; i++)
        if (taken[i].handler)
            give_back(&taken[i], mod, in_child);
    Py_XDECREF(mod);
    tp_err_restore(&saved);
}

static int uninstall(void *arg)
{
    (void)arg;
    if (!tp_window_is_open() && !tp_window_awaiting())
        give_all_back(false);
    return 0;
}

void tp_term_signals_after_fork(void)
{
    dying_after_step = false;
    give_all_back(true);
}

/* signal.signal() works on the main thread only; a window opened by the
 * trigger-file thread gets its handlers at the main thread's next safe
 * point. */
static void on_main(int (*fn)(void *))
{
    if (tp_on_main_thread())
        fn(NULL);
    else if (!tp_pending_calls_open() || Py_AddPendingCall(fn, NULL) != 0)
        tp_debug("terminating signals not changed: no pending call taken");
}

void tp_term_signals_window_opened(void)
{
    on_main(install);
}

void tp_term_signals_window_closed(void)
{
    on_main(uninstall);
}
