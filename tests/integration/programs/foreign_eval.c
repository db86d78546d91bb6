/* A stand-in for a debugger's or JIT's frame evaluator (PEP 523): passes
 * every frame to CPython's own and counts them. Built by
 * test_event_sources.py per Python, loaded with ctypes.PyDLL. */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <frameobject.h>
#if PY_VERSION_HEX < 0x03090000
#include <internal/pycore_pystate.h>
#endif

static long frames;

#if PY_VERSION_HEX < 0x03090000
static PyObject *foreign(PyFrameObject *f, int exc)
{
    frames++;
    return _PyEval_EvalFrameDefault(f, exc);
}
static _PyFrameEvalFunction get(void) { return PyThreadState_Get()->interp->eval_frame; }
static void set(_PyFrameEvalFunction fn) { PyThreadState_Get()->interp->eval_frame = fn; }
#else
#if PY_VERSION_HEX < 0x030B0000
static PyObject *foreign(PyThreadState *ts, PyFrameObject *f, int exc)
#else
static PyObject *foreign(PyThreadState *ts, struct _PyInterpreterFrame *f, int exc)
#endif
{
    frames++;
    return _PyEval_EvalFrameDefault(ts, f, exc);
}
static _PyFrameEvalFunction get(void)
{
    return _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get());
}
static void set(_PyFrameEvalFunction fn)
{
    _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState_Get(), fn);
}
#endif

void foreign_install(void) { set(foreign); }
int foreign_installed(void) { return get() == foreign; }
long foreign_frames(void) { return frames; }
