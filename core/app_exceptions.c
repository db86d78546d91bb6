#include "app_exceptions.h"

#include <Python.h>
#include <frameobject.h>
#include <signal.h>
#include <string.h>

#include "compat/frame.h"
#include "guard.h"
#include "main_thread.h"

/* The exceptions waiting to be raised, oldest first. Main thread, GIL
 * held: they are added there and raised there by the pending call. More
 * than this many at once is beyond any app; the rest are dropped. */
#define MAX_WAITING 8
static tp_errstate waiting[MAX_WAITING];
static int n_waiting;

/* See app_exceptions.h. Main thread only. */
bool tp_app_exception_deferred;

/* The pending call: raises the oldest exception where the main thread is,
 * and comes back for the next. */
static int raise_next(void *arg)
{
    (void)arg;
    if (n_waiting == 0)
        return 0;
    if (tp_guard_active()) {
        tp_app_exception_deferred = true;
        return 0;
    }
    tp_errstate next = waiting[0];
    memmove(waiting, waiting + 1, (size_t)(n_waiting - 1) * sizeof *waiting);
    n_waiting--;
    if (n_waiting > 0 && Py_AddPendingCall(raise_next, NULL) != 0)
        n_waiting = 0;   /* cannot happen from inside a pending call's run */
    next.thread = PyThreadState_Get();
    tp_err_restore(&next);
    return -1;
}

bool tp_app_exception_raise_later(tp_errstate *e)
{
    if (!tp_on_main_thread() || n_waiting == MAX_WAITING)
        return false;
    if (n_waiting == 0 && Py_AddPendingCall(raise_next, NULL) != 0)
        return false;
    waiting[n_waiting++] = *e;
    e->type = e->value = e->tb = NULL;
    return true;
}

void tp_app_exceptions_guard_left(void)
{
    if (tp_app_exception_deferred && tp_on_main_thread() &&
        Py_AddPendingCall(raise_next, NULL) == 0)
        tp_app_exception_deferred = false;
}

void tp_app_exceptions_after_fork(void)
{
    n_waiting = 0;   /* the parent's; their references leak in the child */
    tp_app_exception_deferred = false;
}

/* The code a signal handler runs, if it is a Python function or method
 * (borrowed). */
static PyObject *handler_code(PyObject *handler)
{
    if (PyMethod_Check(handler))
        handler = PyMethod_GET_FUNCTION(handler);
    return PyFunction_Check(handler) ? PyFunction_GET_CODE(handler) : NULL;
}

/* Whether `code` is the code of a Python-level handler of any signal. */
static bool is_signal_handler_code(PyObject *signal_mod, PyObject *code)
{
    bool found = false;
    for (int signo = 1; signo < NSIG && !found; signo++) {
        PyObject *h = PyObject_CallMethod(signal_mod, "getsignal", "i", signo);
        if (!h) {
            PyErr_Clear();   /* not a signal number on this system */
            continue;
        }
        found = handler_code(h) == code;
        Py_DECREF(h);
    }
    return found;
}

/* Whether one of the frames the exception went through runs a signal
 * handler's code: CPython called the handler from inside our call. */
static bool raised_by_signal_handler(PyObject *tb)
{
    if (!tb || !PyTraceBack_Check(tb))
        return false;
    PyObject *signal_mod = PyImport_ImportModule("_signal");
    if (!signal_mod) {
        PyErr_Clear();
        return false;
    }
    bool found = false;
    for (PyTracebackObject *t = (PyTracebackObject *)tb; t && !found; t = t->tb_next) {
        PyCodeObject *code = tp_iframe_code(tp_iframe_of(t->tb_frame));
        found = is_signal_handler_code(signal_mod, (PyObject *)code);
    }
    Py_DECREF(signal_mod);
    return found;
}

bool tp_app_exception_is_apps(const tp_errstate *e)
{
    PyTypeObject *type = tp_err_type(e);
    if (!type)
        return false;
    if (!PyType_IsSubtype(type, (PyTypeObject *)PyExc_Exception))
        return true;
    PyObject *tb = tp_err_traceback(e);
    bool apps = raised_by_signal_handler(tb);
    Py_XDECREF(tb);
    return apps;
}
