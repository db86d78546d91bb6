#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "evalframe.h"

#if PY_VERSION_HEX < 0x03090000
#include "internal/pycore_pystate.h"
#endif

#if PY_VERSION_HEX < 0x03090000
/* 3.8: the evaluator gets no thread state, and is a field of the
 * interpreter (no setter exported): an adapter calls the hook. */
static tp_eval_hook hook_for_adapter;   /* set when installed; GIL held */

static PyObject *adapter(PyFrameObject *frame, int throwflag)
{
    return hook_for_adapter(NULL, frame, throwflag);
}

static _PyFrameEvalFunction as_evaluator(tp_eval_hook hook)
{
    hook_for_adapter = hook;
    return adapter;
}

static _PyFrameEvalFunction current(void)
{
    return PyThreadState_Get()->interp->eval_frame;
}

static void set(_PyFrameEvalFunction fn)
{
    PyThreadState_Get()->interp->eval_frame = fn;
}
#else
/* 3.9+: the hook has the evaluator's own signature. */
static _PyFrameEvalFunction as_evaluator(tp_eval_hook hook)
{
    return hook;
}

static _PyFrameEvalFunction current(void)
{
    return _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get());
}

static void set(_PyFrameEvalFunction fn)
{
    _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState_Get(), fn);
}
#endif

/* What we installed, to recognise it later (GIL held). */
static _PyFrameEvalFunction ours;

bool tp_evalframe_install(tp_eval_hook hook)
{
    _PyFrameEvalFunction now = current();
    if (now != _PyEval_EvalFrameDefault && (!ours || now != ours))
        return false;
    ours = as_evaluator(hook);
    set(ours);
    return true;
}

void tp_evalframe_remove(void)
{
    if (ours && current() == ours)
        set(_PyEval_EvalFrameDefault);
}
