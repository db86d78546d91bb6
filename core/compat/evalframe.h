/* The interpreter's frame evaluator (PEP 523): every Python
 * frame that starts or resumes runs through it, so a hook there sees each
 * call, return, yield and the exception that ends a frame, at the cost of
 * one C call, without the per-instruction checks that a trace or profile
 * function switches on. The hook's signature and how it is installed
 * differ per version; this is the one place that knows. */
#ifndef TP_COMPAT_EVALFRAME_H
#define TP_COMPAT_EVALFRAME_H

#include <stdbool.h>

#include "frame.h"

/* Our hook, in one signature for every version (3.8 passes no thread
 * state: NULL then). It must end by calling tp_evalframe_default(). */
typedef PyObject *(*tp_eval_hook)(PyThreadState *ts, tp_iframe frame, int throwflag);

/* Whether an evaluator costs no more than its own C call. From 3.11, while
 * one is installed, CPython neither inlines nor specialises Python calls:
 * each runs through _PyEval_Vector (start-up's ~800 frames on 3.12 cost
 * more that way than the audit arguments a wait in one saves). */
static inline bool tp_evalframe_is_cheap(void)
{
    return PY_VERSION_HEX < 0x030B0000;
}

/* Installs `hook` for the current interpreter unless an evaluator other
 * than CPython's own is installed (a debugger's, a JIT's): false then.
 * GIL held. */
bool tp_evalframe_install(tp_eval_hook hook);
/* Puts CPython's own evaluator back if ours is still the one installed. */
void tp_evalframe_remove(void);
/* CPython's own evaluator: runs the frame. Inline, like the next one:
 * both run for every Python call of a window. */
static inline PyObject *tp_evalframe_default(PyThreadState *ts, tp_iframe frame, int throwflag)
{
#if PY_VERSION_HEX < 0x03090000
    (void)ts;
    return _PyEval_EvalFrameDefault(frame, throwflag);
#else
    return _PyEval_EvalFrameDefault(ts, frame, throwflag);
#endif
}

/* Whether the thread's C recursion budget (3.12+: kept apart from the
 * Python one, and spent by every frame that runs through the hook) is
 * nearly used up. Always false before 3.12, where C recursion is the
 * stack's business only. */
static inline bool tp_evalframe_recursion_low(PyThreadState *ts)
{
    /* Python's own check trips below this; handing over first keeps the
     * depth at which a RecursionError comes what it is untraced. */
    enum { RECURSION_RESERVE = 200 };
#if PY_VERSION_HEX >= 0x030C0000
    return ts->c_recursion_remaining < RECURSION_RESERVE;
#else
    (void)ts;
    return false;
#endif
}

/* Whether the thread runs a trace function of the app's (sys.settrace: a
 * debugger, coverage). From 3.12, while any frame evaluator is installed,
 * CPython stops running an awaited coroutine inline (SEND), so the
 * StopIteration that ends each await of an `async for` loop's __anext__
 * reaches that function twice as an `exception` event (CPython's
 * test_sys_settrace, test_20_async_for_loop). Always false before 3.12,
 * where the events are the same either way. */
static inline bool tp_evalframe_app_traces(PyThreadState *ts)
{
#if PY_VERSION_HEX >= 0x030C0000
    return ts->c_tracefunc != NULL;
#else
    (void)ts;
    return false;
#endif
}

#endif
