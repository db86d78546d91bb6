#include "exit_paths.h"

#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "compat/errstate.h"
#include "log.h"
#include "trigger_file.h"
#include "main_thread.h"
#include "window_ctl.h"
#include "writer.h"

/* The process whose windows and writer threads these are: a child forked
 * without Python knowing (subprocess's fork+exec) inherits our memory but
 * owns none of it. Set at set-up and in Python's after-fork hook. */
static pid_t owner_pid;

void tp_exit_paths_set_owner(void)
{
    owner_pid = getpid();
}

/* The process is about to end or replace itself, from the thread that
 * holds the GIL: the open window is written first, and so are windows
 * still being written, whose threads end with the process image. A child
 * of subprocess (fork or vfork, then exec) is not the owner and returns
 * before touching anything. */
static void before_leaving(const char *reason)
{
    if (owner_pid == 0 || getpid() != owner_pid || !Py_IsInitialized() || !PyGILState_Check())
        return;
    if (tp_window_is_open())
        tp_window_close_in_place(reason);
    tp_writer_wait_all();
}

void tp_exit_hook(int status)
{
    (void)status;
    before_leaving("exit");
}

void tp_exec_hook(void)
{
    before_leaving("exec");
}

/* ---- interpreter exit ---- */

static PyObject *at_exit(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    tp_trigger_stop();
    if (tp_window_is_open())
        tp_window_close_in_place("exit");
    Py_BEGIN_ALLOW_THREADS
    tp_writer_wait_all();
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef at_exit_def = {"_tracepatch_at_exit", at_exit, METH_NOARGS, NULL};

/* Whether our atexit hook is registered, or being registered; GIL held. */
static bool at_exit_registered;
/* The atexit module, imported at set-up and held for the process: the
 * first window may open from a signal handler that runs inside an import
 * (in importlib's own bookkeeping), where importing again corrupts it
 * (3.8: KeyError in _ModuleLock.acquire). atexit.register is C, so
 * registering then runs no Python code. Main thread, GIL held. */
static PyObject *atexit_module;

void tp_at_exit_prepare(void)
{
    if (atexit_module)
        return;
    tp_errstate saved;
    tp_err_save(&saved);
    atexit_module = PyImport_ImportModule("atexit");
    tp_err_restore(&saved);
}

void tp_at_exit_register(void)
{
    if (at_exit_registered)
        return;
    at_exit_registered = true;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *fn = atexit_module ? PyCFunction_New(&at_exit_def, NULL) : NULL;
    PyObject *r = fn ? PyObject_CallMethod(atexit_module, "register", "O", fn) : NULL;
    at_exit_registered = r != NULL;
    if (!r)
        tp_log("cannot register at exit: an open window will be lost at exit");
    Py_XDECREF(r);
    Py_XDECREF(fn);
    tp_err_restore(&saved);
}

/* ---- SIGTERM ---- */

static void restore_default(void);

/* Our Python-level SIGTERM handler while it is installed, and the
 * handler object Python had before (given back as it was, so the app's
 * signal.getsignal() sees no difference); main thread, GIL held. */
static PyObject *term_handler;
static PyObject *term_previous;

/* Die the way SIGTERM's default action would have, once every window
 * being written is on disk (writers need no GIL). */
static void die_by_sigterm(void)
{
    tp_writer_wait_all();
    signal(SIGTERM, SIG_DFL);
    raise(SIGTERM);
}

/* Bounds the wait for a recording step that may never end (a __repr__
 * blocked on a lock its caller holds): SIGTERM still kills the process. */
#define SIGTERM_GRACE_S 5

static void *sigterm_watchdog(void *unused)
{
    (void)unused;
    struct timespec left = {SIGTERM_GRACE_S, 0};
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
    signal(SIGTERM, SIG_DFL);
    kill(getpid(), SIGTERM);
    return NULL;
}

/* The handler can run inside a recording step (a __repr__ we called
 * reached a safe point, or a step of another thread released the GIL):
 * then the window is written, and the process killed, when that step is
 * done with it, normally microseconds later, at most SIGTERM_GRACE_S. */
static PyObject *on_sigterm(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    if (!tp_window_is_open())
        die_by_sigterm();
    tp_window_close_in_place_then("exit", die_by_sigterm);
    /* Still here: the window waits for that step. */
    pthread_t watchdog;
    pthread_attr_t attr;
    bool started = pthread_attr_init(&attr) == 0 &&
                   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                   pthread_create(&watchdog, &attr, sigterm_watchdog, NULL) == 0;
    pthread_attr_destroy(&attr);
    if (!started)
        die_by_sigterm();
    Py_RETURN_NONE;
}

static PyMethodDef on_sigterm_def = {"_tracepatch_sigterm", on_sigterm, METH_VARARGS, NULL};

static bool sigterm_is_default(void)
{
    struct sigaction cur;
    return sigaction(SIGTERM, NULL, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) &&
           cur.sa_handler == SIG_DFL;
}

static int install(void *arg)
{
    (void)arg;
    if (term_handler || !tp_window_is_open() || !sigterm_is_default())
        return 0;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mod = PyImport_ImportModule("_signal");
    PyObject *fn = mod ? PyCFunction_New(&on_sigterm_def, NULL) : NULL;
    PyObject *previous = fn ? PyObject_CallMethod(mod, "getsignal", "i", SIGTERM) : NULL;
    PyObject *r = previous ? PyObject_CallMethod(mod, "signal", "iO", SIGTERM, fn) : NULL;
    if (r) {
        term_handler = fn;
        term_previous = previous;
    } else {
        Py_XDECREF(fn);
        Py_XDECREF(previous);
    }
    Py_XDECREF(r);
    Py_XDECREF(mod);
    tp_err_restore(&saved);
    return 0;
}

static int uninstall(void *arg)
{
    (void)arg;
    if (!term_handler || tp_window_is_open())
        return 0;
    restore_default();
    return 0;
}

void tp_sigterm_after_fork(void)
{
    if (term_handler)
        restore_default();
}

/* SIG_DFL again, if the handler is still ours (the app may have put its
 * own in place meanwhile). */
static void restore_default(void)
{
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mod = PyImport_ImportModule("_signal");
    PyObject *cur = mod ? PyObject_CallMethod(mod, "getsignal", "i", SIGTERM) : NULL;
    /* Only if it is still ours: the app may have installed its own. */
    if (cur == term_handler) {
        /* None: set from C before Python started; SIG_DFL is what it was. */
        PyObject *back = term_previous && term_previous != Py_None ? term_previous : NULL;
        if (back)
            Py_INCREF(back);
        else
            back = PyObject_GetAttrString(mod, "SIG_DFL");
        PyObject *r = back ? PyObject_CallMethod(mod, "signal", "iO", SIGTERM, back) : NULL;
        Py_XDECREF(r);
        Py_XDECREF(back);
    }
    Py_XDECREF(cur);
    Py_XDECREF(mod);
    Py_CLEAR(term_handler);
    Py_CLEAR(term_previous);
    tp_err_restore(&saved);
}

/* signal.signal() works on the main thread only; a window opened by the
 * trigger-file thread gets its handler at the main thread's next safe
 * point. */
static void on_main(int (*fn)(void *))
{
    if (tp_on_main_thread())
        fn(NULL);
    else if (Py_AddPendingCall(fn, NULL) != 0)
        tp_debug("SIGTERM handler not changed: pending-call queue full");
}

void tp_sigterm_window_opened(void)
{
    on_main(install);
}

void tp_sigterm_window_closed(void)
{
    on_main(uninstall);
}
