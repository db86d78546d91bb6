/* Installing a C trace function on threads other than the current one
 * (3.8-3.11): 3.9+ export _PyEval_SetTrace(tstate, ...); 3.8 only has the
 * current-thread call, so the fields are set directly there. */
#ifndef TP_COMPAT_TRACEFUNC_H
#define TP_COMPAT_TRACEFUNC_H

#include <Python.h>
#include <stdbool.h>

/* Sets `func` on `ts` unless it already runs someone else's trace
 * function (a debugger, coverage): returns false then. GIL held. */
bool tp_trace_set(PyThreadState *ts, Py_tracefunc func);
/* Removes `func` from `ts` if it is the one installed. */
void tp_trace_clear(PyThreadState *ts, Py_tracefunc func);

/* The same for the profile function (used for C calls only). */
bool tp_profile_set(PyThreadState *ts, Py_tracefunc func);
void tp_profile_clear(PyThreadState *ts, Py_tracefunc func);

/* Whether two threads setting a trace function at once can make one of
 * them fail: 3.10 and 3.11 refuse a second sys.settrace() while one is
 * under way (CPython gh-98257, fixed in 3.12), and one is under way
 * across a GIL switch when a Python audit hook runs for its
 * "sys.settrace" event. Then threads that all call sys.settrace() as they
 * start (threading._trace_hook) die of a RuntimeError before their
 * target runs. GIL held. */
bool tp_trace_set_may_fail_in_threads(void);

/* Turns off line events for every frame already running on `ts` (frames
 * started later get it in their call event). */
void tp_trace_quiet_running_frames(PyThreadState *ts);

#endif
