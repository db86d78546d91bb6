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

/* Turns off line events for every frame already running on `ts` (frames
 * started later get it in their call event). */
void tp_trace_quiet_running_frames(PyThreadState *ts);

#endif
