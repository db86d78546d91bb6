#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "tracefunc.h"

#include <frameobject.h>
#if PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_frame.h"
#endif
#if PY_VERSION_HEX >= 0x03090000
#include "internal/pycore_interp.h"   /* PyInterpreterState.audit_hooks */
#endif

#if PY_VERSION_HEX < 0x03090000
#include "internal/pycore_pystate.h"

/* What 3.8's PyEval_SetTrace does, for any thread state. */
static int set_trace(PyThreadState *ts, Py_tracefunc func, PyObject *arg)
{
    _PyRuntime.ceval.tracing_possible += (func != NULL) - (ts->c_tracefunc != NULL);
    PyObject *old = ts->c_traceobj;
    Py_XINCREF(arg);
    ts->c_tracefunc = NULL;
    ts->c_traceobj = NULL;
    ts->use_tracing = ts->c_profilefunc != NULL;
    Py_XDECREF(old);
    ts->c_tracefunc = func;
    ts->c_traceobj = arg;
    ts->use_tracing = (func != NULL) || (ts->c_profilefunc != NULL);
    return 0;
}

/* What 3.8's PyEval_SetProfile does, for any thread state. */
static int set_profile(PyThreadState *ts, Py_tracefunc func, PyObject *arg)
{
    PyObject *old = ts->c_profileobj;
    Py_XINCREF(arg);
    ts->c_profilefunc = NULL;
    ts->c_profileobj = NULL;
    ts->use_tracing = ts->c_tracefunc != NULL;
    Py_XDECREF(old);
    ts->c_profilefunc = func;
    ts->c_profileobj = arg;
    ts->use_tracing = (func != NULL) || (ts->c_tracefunc != NULL);
    return 0;
}
#else
/* _PyEval_SetTrace and _PyEval_SetProfile raise an audit event first. The
 * app's Python audit hooks could release the GIL there and let the thread
 * whose state is being changed end (CPython would then write into its
 * freed state, and a walk of the threads read the next one from it); and
 * ours are not the app's calls. Its hooks are hidden meanwhile, as on 3.8,
 * which raises no event: nothing else runs, the GIL is held throughout. */
typedef int (*tracefunc_setter)(PyThreadState *, Py_tracefunc, PyObject *);

static int set_unaudited(tracefunc_setter set, PyThreadState *ts, Py_tracefunc func, PyObject *arg)
{
    PyInterpreterState *interp = PyThreadState_Get()->interp;
    PyObject *hooks = interp->audit_hooks;
    interp->audit_hooks = NULL;
    int r = set(ts, func, arg);
    interp->audit_hooks = hooks;
    return r;
}

static int set_trace(PyThreadState *ts, Py_tracefunc func, PyObject *arg)
{
    return set_unaudited(_PyEval_SetTrace, ts, func, arg);
}

static int set_profile(PyThreadState *ts, Py_tracefunc func, PyObject *arg)
{
    return set_unaudited(_PyEval_SetProfile, ts, func, arg);
}
#endif

bool tp_trace_set(PyThreadState *ts, Py_tracefunc func)
{
    if (ts->c_tracefunc == func)
        return true;
    if (ts->c_tracefunc != NULL)
        return false;
    if (set_trace(ts, func, NULL) != 0) {
        PyErr_Clear();
        return false;
    }
    return true;
}

void tp_trace_clear(PyThreadState *ts, Py_tracefunc func)
{
    if (ts->c_tracefunc == func && set_trace(ts, NULL, NULL) != 0)
        PyErr_Clear();
}

bool tp_profile_set(PyThreadState *ts, Py_tracefunc func)
{
    if (ts->c_profilefunc == func)
        return true;
    if (ts->c_profilefunc != NULL)
        return false;
    if (set_profile(ts, func, NULL) != 0) {
        PyErr_Clear();
        return false;
    }
    return true;
}

void tp_profile_clear(PyThreadState *ts, Py_tracefunc func)
{
    if (ts->c_profilefunc == func && set_profile(ts, NULL, NULL) != 0)
        PyErr_Clear();
}

bool tp_trace_set_may_fail_in_threads(void)
{
#if PY_VERSION_HEX >= 0x030A0000 && PY_VERSION_HEX < 0x030C0000
    PyObject *hooks = PyInterpreterState_Get()->audit_hooks;
    return hooks && PyList_Check(hooks) && PyList_GET_SIZE(hooks) > 0;
#else
    return false;
#endif
}

void tp_trace_quiet_running_frames(PyThreadState *ts)
{
#if PY_VERSION_HEX < 0x03090000
    for (PyFrameObject *f = ts->frame; f; f = f->f_back)
        f->f_trace_lines = 0;
#else
    PyFrameObject *f = PyThreadState_GetFrame(ts);
    while (f) {
        f->f_trace_lines = 0;
        PyFrameObject *back = PyFrame_GetBack(f);
        Py_DECREF(f);
        f = back;
    }
#endif
}
