/* Around our own calls into Python code on an app's thread (a __repr__,
 * an exception's __str__, a __del__ we trigger), what the app must not
 * see of them:
 * - its trace and profile functions and sys.monitoring tools are not
 *   called for them (CPython's own "a trace function is running"
 *   counter): a coverage tool must not count them, a profiler must not
 *   time them, and a trace function that raises on a call event must not
 *   be switched off by CPython because of one of ours;
 * - before 3.10, a RecursionError raised inside them (the app was near
 *   its recursion limit) leaves the thread's "overflowed" flag set,
 *   which lets the app recurse 50 levels past its limit without an error
 *   and then aborts the process ("Cannot recover from stack overflow"):
 *   the flag is put back as it was, since the error was ours and caught.
 * This header is the only place that knows the spellings per version.
 * GIL held. */
#ifndef TP_COMPAT_OWN_CALLS_H
#define TP_COMPAT_OWN_CALLS_H

#include <Python.h>

typedef struct tp_own_calls {
    PyThreadState *ts;
    int overflowed;   /* before 3.10 (3.10 clears its flag once raised) */
} tp_own_calls;

static inline PyThreadState *tp_tstate_or_null(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    return PyThreadState_GetUnchecked();
#else
    return _PyThreadState_UncheckedGet();
#endif
}

static inline void tp_own_calls_begin(tp_own_calls *s)
{
    PyThreadState *ts = s->ts = tp_tstate_or_null();
    if (!ts)
        return;
#if PY_VERSION_HEX >= 0x030B0000
    PyThreadState_EnterTracing(ts);
#elif PY_VERSION_HEX >= 0x030A0000
    ts->tracing++;
    ts->cframe->use_tracing = 0;
#else
    s->overflowed = ts->overflowed;
    ts->tracing++;
    ts->use_tracing = 0;
#endif
}

static inline void tp_own_calls_end(const tp_own_calls *s)
{
    PyThreadState *ts = s->ts;
    if (!ts || ts != tp_tstate_or_null())
        return;
#if PY_VERSION_HEX >= 0x030B0000
    PyThreadState_LeaveTracing(ts);
#elif PY_VERSION_HEX >= 0x030A0000
    ts->tracing--;
    ts->cframe->use_tracing = (ts->c_tracefunc || ts->c_profilefunc) ? 255 : 0;
#else
    ts->overflowed = s->overflowed;
    ts->tracing--;
    ts->use_tracing = ts->c_tracefunc || ts->c_profilefunc;
#endif
}

#endif
