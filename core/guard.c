#include "guard.h"

#include "app_exceptions.h"
#include "compat/own_calls.h"

/* See guard.h: per-thread, touched only by its own thread. */
_Thread_local unsigned tp_guard_depth __attribute__((tls_model("initial-exec")));

/* What the outermost enter saved, for the last exit (compat/own_calls.h);
 * per thread, touched only by its own thread. Not on the hot path: the
 * default TLS model. */
static _Thread_local tp_own_calls own_calls;

/* The depth of our own calls, without the recording steps' holds. */
static unsigned calls_depth(void)
{
    return tp_guard_depth & (TP_GUARD_HOLD - 1);
}

void tp_guard_enter(void)
{
    if (calls_depth() == 0)
        tp_own_calls_begin(&own_calls);
    tp_guard_depth++;
}

void tp_guard_exit(void)
{
    if (calls_depth() == 0)
        return;
    if (--tp_guard_depth == TP_GUARD_DEFERRED)
        tp_app_exceptions_guard_left();
    if (calls_depth() == 0)
        tp_own_calls_end(&own_calls);
}
