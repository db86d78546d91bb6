#include "signal_trigger.h"

#include <Python.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "compat/api.h"
#include "compat/errstate.h"
#include "config.h"
#include "log.h"
#include "window_ctl.h"

/* How many window signals came before set-up: counted by the raw handler
 * on whichever thread the signal lands (a lock-free atomic, so safe in a
 * handler), read once at set-up. */
static atomic_int early_signals;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler needs a lock-free counter");
/* Whether the raw handler is ours to replace; written before the
 * interpreter starts, read at set-up, both on the main thread. */
static bool caught_early;
/* The window signal, set at set-up on the main thread; read there. */
static int window_signal;

static void early_handler(int signo)
{
    (void)signo;
    atomic_fetch_add_explicit(&early_signals, 1, memory_order_relaxed);
}

void tp_signal_catch_early(int signo)
{
    struct sigaction cur;
    if (signo <= 0 || sigaction(signo, NULL, &cur) != 0)
        return;
    if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == SIG_DFL) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = early_handler;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        caught_early = sigaction(signo, &sa, NULL) == 0;
    }
}

void tp_signal_release_early(int signo)
{
    struct sigaction cur;
    if (!caught_early || sigaction(signo, NULL, &cur) != 0 ||
        (cur.sa_flags & SA_SIGINFO) || cur.sa_handler != early_handler)
        return;
    signal(signo, SIG_DFL);
    caught_early = false;
}

static PyObject *on_signal(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    char how[64];
    snprintf(how, sizeof how, "signal %s", tp_signal_name(window_signal));
    tp_debug("%s: %s the window", how, tp_window_is_open() ? "closing" : "opening");
    if (tp_window_is_open())
        tp_window_close("signal");
    else
        tp_window_open("signal", how);
    Py_RETURN_NONE;
}

/* Never written (CPython's API takes it non-const). */
static PyMethodDef on_signal_def = {"_tracepatch_signal", on_signal, METH_VARARGS, NULL};

/* Runs when Python drops our handler: the app replaced it with its own
 * (signal.signal(SIG, ...) after set-up). Its handler runs from then on;
 * we say once that the trigger is gone. At exit the interpreter drops
 * every handler: nothing to say then. */
static void handler_dropped(PyObject *capsule)
{
    (void)capsule;
    if (tp_is_finalizing())
        return;
    tp_log("%s handler replaced by the app: no signal trigger any more "
           "(use TRACEPATCH_SIGNAL or TRACEPATCH_TRIGGER)", tp_signal_name(window_signal));
}

/* Someone else's handler is installed: a C handler, SIG_IGN, or a Python
 * handler registered before us (sitecustomize, an embedding program). */
static bool owned_by_app(int signo)
{
    struct sigaction cur;
    if (sigaction(signo, NULL, &cur) != 0)
        return true;
    if (cur.sa_flags & SA_SIGINFO)
        return true;
    return !(cur.sa_handler == SIG_DFL || (caught_early && cur.sa_handler == early_handler));
}

static bool install(int signo)
{
    /* The function's `self` is a capsule whose destructor tells us when
     * Python's handler table lets go of it; we keep no reference. */
    PyObject *mod = PyImport_ImportModule("_signal");
    PyObject *self = mod ? PyCapsule_New(&window_signal, "tracepatch.signal", NULL) : NULL;
    PyObject *fn = self ? PyCFunction_New(&on_signal_def, self) : NULL;
    PyObject *r = fn ? PyObject_CallMethod(mod, "signal", "iO", signo, fn) : NULL;
    bool ok = r != NULL;
    if (ok)
        PyCapsule_SetDestructor(self, handler_dropped);
    Py_XDECREF(r);
    Py_XDECREF(fn);
    Py_XDECREF(self);
    Py_XDECREF(mod);
    return ok;
}

int tp_signal_setup(int signo)
{
    window_signal = signo;
    if (signo <= 0)
        return 0;
    if (owned_by_app(signo)) {
        tp_log("%s is already handled by the app: no signal trigger "
               "(use TRACEPATCH_SIGNAL or TRACEPATCH_TRIGGER)", tp_signal_name(signo));
        return 0;
    }
    tp_errstate saved;
    tp_err_save(&saved);
    if (!install(signo))
        tp_log("cannot handle %s: no signal trigger", tp_signal_name(signo));
    tp_err_restore(&saved);
    return atomic_load_explicit(&early_signals, memory_order_relaxed);
}
