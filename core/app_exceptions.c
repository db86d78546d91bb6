#include "app_exceptions.h"

#include <Python.h>
#include <frameobject.h>
#include <signal.h>
#include <string.h>

#include "compat/frame.h"
#include "compat/pending_calls.h"
#include "guard.h"
#include "main_thread.h"

/* The exceptions waiting to be raised, oldest first. Main thread, GIL
 * held: they are added there and raised there by the pending call. More
 * than this many at once is beyond any app; the rest are dropped. */
#define MAX_WAITING 8
static tp_errstate waiting[MAX_WAITING];
static int n_waiting;

/* The rest cannot be raised any more (CPython takes no pending call). */
static void drop_waiting(void)
{
    for (int i = 0; i < n_waiting; i++) {
        Py_XDECREF(waiting[i].type);
        Py_XDECREF(waiting[i].value);
        Py_XDECREF(waiting[i].tb);
    }
    n_waiting = 0;
}

/* The pending call: raises the oldest exception where the main thread is,
 * and comes back for the next. */
static int raise_next(void *arg)
{
    (void)arg;
    if (n_waiting == 0)
        return 0;
    if (tp_guard_active()) {
        tp_guard_depth |= TP_GUARD_DEFERRED;   /* the main thread's own word */
        return 0;
    }
    tp_errstate next = waiting[0];
    memmove(waiting, waiting + 1, (size_t)(n_waiting - 1) * sizeof *waiting);
    n_waiting--;
    if (n_waiting > 0 && (!tp_pending_calls_open() || Py_AddPendingCall(raise_next, NULL) != 0))
        drop_waiting();
    next.thread = PyThreadState_Get();
    tp_err_restore(&next);
    return -1;
}

bool tp_app_exception_raise_later(tp_errstate *e)
{
    if (!tp_on_main_thread() || n_waiting == MAX_WAITING || !tp_pending_calls_open())
        return false;
    if (n_waiting == 0 && Py_AddPendingCall(raise_next, NULL) != 0)
        return false;
    waiting[n_waiting++] = *e;
    e->type = e->value = e->tb = NULL;
    return true;
}

/* On the main thread only: no other thread's word has the bit. If the
 * call cannot be added now, the bit stays for the next exit. */
void tp_app_exceptions_guard_left(void)
{
    if (tp_pending_calls_open() && Py_AddPendingCall(raise_next, NULL) == 0)
        tp_guard_depth &= ~TP_GUARD_DEFERRED;
}

void tp_app_exceptions_after_fork(void)
{
    n_waiting = 0;   /* the parent's; their references leak in the child */
    tp_guard_depth &= ~TP_GUARD_DEFERRED;
}

/* The code a signal handler runs, if it is a Python function or method
 * (borrowed). */
static PyObject *handler_code(PyObject *handler)
{
    if (PyMethod_Check(handler))
        handler = PyMethod_GET_FUNCTION(handler);
    return PyFunction_Check(handler) ? PyFunction_GET_CODE(handler) : NULL;
}

/* Whether `frame` runs a signal handler of the app: CPython calls one with
 * (signal number, frame or None) as its last two positional parameters,
 * which almost no other function takes; signal.getsignal() of that number
 * then says whether it is the handler. A few loads a frame, one look-up
 * for a frame that looks like one. */
static bool is_signal_handler_frame(PyFrameObject *frame)
{
    tp_iframe f = tp_iframe_of(frame);
    PyCodeObject *code = tp_iframe_code(f);
    int n = code->co_argcount;
    PyObject *signo = n >= 2 ? tp_iframe_local(f, n - 2) : NULL;
    PyObject *interrupted = n >= 2 ? tp_iframe_local(f, n - 1) : NULL;
    if (!signo || !PyLong_Check(signo) || !interrupted ||
        !(interrupted == Py_None || PyFrame_Check(interrupted)))
        return false;
    long number = PyLong_AsLong(signo);
    if (number <= 0 || number >= NSIG) {
        PyErr_Clear();
        return false;
    }
    PyObject *signal_mod = PyImport_ImportModule("_signal");
    PyObject *handler = signal_mod ? PyObject_CallMethod(signal_mod, "getsignal", "l", number)
                                   : NULL;
    bool is = handler && handler_code(handler) == (PyObject *)code;
    if (!handler)
        PyErr_Clear();
    Py_XDECREF(handler);
    Py_XDECREF(signal_mod);
    return is;
}

/* Whether one of the frames the exception went through runs a signal
 * handler: CPython called the handler from inside our call. */
static bool raised_by_signal_handler(PyObject *tb)
{
    if (!tb || !PyTraceBack_Check(tb))
        return false;
    for (PyTracebackObject *t = (PyTracebackObject *)tb; t; t = t->tb_next)
        if (is_signal_handler_frame(t->tb_frame))
            return true;
    return false;
}

bool tp_app_exception_is_apps(const tp_errstate *e)
{
    PyTypeObject *type = tp_err_type(e);
    if (!type)
        return false;
    if (PyType_IsSubtype(type, (PyTypeObject *)PyExc_KeyboardInterrupt))
        return true;
    PyObject *tb = tp_err_traceback(e);
    bool apps = raised_by_signal_handler(tb);
    Py_XDECREF(tb);
    return apps;
}
