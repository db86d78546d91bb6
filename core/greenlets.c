#include "greenlets.h"

#include <Python.h>
#include <stdbool.h>

#include "compat/errstate.h"
#include "guard.h"
#include "imported_module.h"
#include "record.h"
#include "stack_switch.h"

/* greenlet.settrace / gettrace once the app imported greenlet, and our
 * trace function; kept for the life of the process (GIL held). */
static PyObject *settrace, *gettrace, *our_tracer;

/* Each thread's trace function before ours, while ours is installed on
 * that thread (greenlet keeps one per thread). Only its thread uses it. */
static _Thread_local PyObject *previous_tracer;
static _Thread_local bool installed_here;

static void uninstall_here(void)
{
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *cur = PyObject_CallObject(gettrace, NULL);
    /* Another trace function may have gone in front of ours since
     * (gevent's monitor thread installs one) and call ours: putting ours'
     * previous back would drop it. Ours then stays in its chain, passing
     * calls through. */
    if (cur == our_tracer) {
        PyObject *back = previous_tracer ? previous_tracer : Py_None;
        PyObject *r = PyObject_CallFunctionObjArgs(settrace, back, NULL);
        if (r) {
            Py_CLEAR(previous_tracer);
            installed_here = false;
        }
        Py_XDECREF(r);
    }
    Py_XDECREF(cur);
    tp_err_restore(&saved);
}

/* greenlet calls it in the greenlet switched to, before that greenlet's
 * code goes on: (event, (origin, target)). Once no window is open, it
 * takes itself out of the thread it runs in. */
static PyObject *on_switch(PyObject *self, PyObject *args)
{
    (void)self;
    /* Never an error of ours: greenlet would raise it in the switch. */
    PyObject *pair = PyTuple_GET_SIZE(args) == 2 ? PyTuple_GET_ITEM(args, 1) : NULL;
    tp_window *w = tp_current_window;
    if (w && tp_thread_tls.gen == w->gen && pair && PyTuple_Check(pair) &&
        PyTuple_GET_SIZE(pair) == 2)
        tp_stack_switch(tp_thread_tls.thread, w, PyTuple_GET_ITEM(pair, 0),
                        PyTuple_GET_ITEM(pair, 1));
    PyObject *previous = previous_tracer;
    Py_XINCREF(previous);
    if (!w && installed_here)
        uninstall_here();
    if (!previous)
        Py_RETURN_NONE;
    PyObject *r = PyObject_CallObject(previous, args);
    Py_DECREF(previous);
    return r;
}

/* Never written (CPython's API takes it non-const). */
static PyMethodDef on_switch_def = {"_tracepatch_greenlet_switch", on_switch, METH_VARARGS, NULL};

static bool find_greenlet(void)
{
    if (settrace)
        return true;
    PyObject *greenlet = tp_imported_module("greenlet");
    if (!greenlet)
        return false;
    PyObject *set = PyObject_GetAttrString(greenlet, "settrace");
    PyObject *get = set ? PyObject_GetAttrString(greenlet, "gettrace") : NULL;
    PyObject *ours = get ? PyCFunction_New(&on_switch_def, NULL) : NULL;
    if (!ours) {
        Py_XDECREF(set);
        Py_XDECREF(get);
        return false;
    }
    settrace = set;
    gettrace = get;
    our_tracer = ours;
    return true;
}

static void install_here(void)
{
    if (installed_here || !find_greenlet())
        return;
    PyObject *previous = PyObject_CallObject(gettrace, NULL);
    if (!previous)
        return;
    PyObject *r = previous != our_tracer ? PyObject_CallFunctionObjArgs(settrace, our_tracer, NULL)
                                         : NULL;
    if (r) {
        previous_tracer = previous != Py_None ? previous : NULL;
        if (!previous_tracer)
            Py_DECREF(previous);
        installed_here = true;
    } else {
        Py_DECREF(previous);
    }
    Py_XDECREF(r);
}

void tp_greenlets_notice(void)
{
    if (installed_here)
        return;
    tp_errstate saved;
    tp_err_save(&saved);
    tp_guard_enter();
    install_here();
    tp_guard_exit();
    tp_err_restore(&saved);
}
