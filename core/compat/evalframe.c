#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "evalframe.h"

#if PY_VERSION_HEX < 0x03090000
#include "internal/pycore_pystate.h"
#endif

/* Set when installed, read by the adapter on every frame (GIL held). */
static tp_eval_hook installed_hook;

#if PY_VERSION_HEX < 0x03090000
/* 3.8: the evaluator gets no thread state, and is a field of the
 * interpreter (no setter exported). */
static PyObject *adapter(PyFrameObject *frame, int throwflag)
{
    return installed_hook(NULL, frame, throwflag);
}

static _PyFrameEvalFunction current(void)
{
    return PyThreadState_Get()->interp->eval_frame;
}

static void set(_PyFrameEvalFunction fn)
{
    PyThreadState_Get()->interp->eval_frame = fn;
}

PyObject *tp_evalframe_default(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    (void)ts;
    return _PyEval_EvalFrameDefault(frame, throwflag);
}
#else
static PyObject *adapter(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    return installed_hook(ts, frame, throwflag);
}

static _PyFrameEvalFunction current(void)
{
    return _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get());
}

static void set(_PyFrameEvalFunction fn)
{
    _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState_Get(), fn);
}

PyObject *tp_evalframe_default(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    return _PyEval_EvalFrameDefault(ts, frame, throwflag);
}
#endif

bool tp_evalframe_install(tp_eval_hook hook)
{
    _PyFrameEvalFunction now = current();
    if (now != _PyEval_EvalFrameDefault && now != adapter)
        return false;
    installed_hook = hook;
    set(adapter);
    return true;
}

void tp_evalframe_remove(void)
{
    if (current() == adapter)
        set(_PyEval_EvalFrameDefault);
}

/* Python's own recursion check trips below this; handing over first keeps
 * the depth at which a RecursionError comes what it is untraced. */
#define RECURSION_RESERVE 200

bool tp_evalframe_recursion_low(PyThreadState *ts)
{
#if PY_VERSION_HEX >= 0x030C0000
    return ts->c_recursion_remaining < RECURSION_RESERVE;
#else
    (void)ts;
    return false;
#endif
}
