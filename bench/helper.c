/* Benchmark helper, compiled against each Python's headers at bench time
 * and loaded with ctypes.PyDLL (so the GIL is held during calls):
 *   tpb_noop_on/off  install/remove a C profile function that does nothing:
 *                    the floor any profile-function tracer pays;
 *   tpb_cg_toggle    flip callgrind's collection state (a no-op outside
 *                    valgrind), so only the workload is counted. */
#include <Python.h>
#include <frameobject.h>
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

void tpb_cg_toggle(void)
{
    CALLGRIND_TOGGLE_COLLECT;
}
