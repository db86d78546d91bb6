/* Benchmark helper, compiled against each Python's headers at bench time
 * and loaded with ctypes.PyDLL (so the GIL is held during calls):
 *   tpb_noop_on/off  install/remove a C profile function that does nothing:
 *                    the floor any profile-function tracer pays;
 *   tpb_noopeval_on/off  install/remove a frame evaluator (PEP 523) that
 *                    only calls CPython's own: the floor of our default
 *                    event source;
 *   tpb_cg_toggle    flip callgrind's collection state (a no-op outside
 *                    valgrind), so only the workload is counted. */
#define Py_BUILD_CORE 1   /* 3.8 keeps the evaluator in the internal interpreter state */
#include <Python.h>
#include <frameobject.h>
#if PY_VERSION_HEX < 0x03090000
#include <internal/pycore_pystate.h>
#endif
#include <valgrind/callgrind.h>

static int noop(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    (void)obj;
    (void)frame;
    (void)what;
    (void)arg;
    return 0;
}

void tpb_noop_on(void)
{
    PyEval_SetProfile(noop, NULL);
}

void tpb_noop_off(void)
{
    PyEval_SetProfile(NULL, NULL);
}

#if PY_VERSION_HEX < 0x03090000
static PyObject *noop_eval(PyFrameObject *f, int throwflag)
{
    return _PyEval_EvalFrameDefault(f, throwflag);
}

static void set_eval(_PyFrameEvalFunction fn)
{
    PyThreadState_Get()->interp->eval_frame = fn;
}
#else
#if PY_VERSION_HEX < 0x030B0000
static PyObject *noop_eval(PyThreadState *ts, PyFrameObject *f, int throwflag)
#else
static PyObject *noop_eval(PyThreadState *ts, struct _PyInterpreterFrame *f, int throwflag)
#endif
{
    return _PyEval_EvalFrameDefault(ts, f, throwflag);
}

static void set_eval(_PyFrameEvalFunction fn)
{
    _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState_Get(), fn);
}
#endif

void tpb_noopeval_on(void)
{
    set_eval(noop_eval);
}

void tpb_noopeval_off(void)
{
    set_eval(_PyEval_EvalFrameDefault);
}

void tpb_cg_toggle(void)
{
    CALLGRIND_TOGGLE_COLLECT;
}
