#include "guard.h"

#include "app_exceptions.h"
#include "compat/own_calls.h"

/* See guard.h: per-thread, touched only by its own thread. */
_Thread_local unsigned tp_guard_depth __attribute__((tls_model("initial-exec")));

/* What the outermost enter saved, for the last exit (compat/own_calls.h);
 * per thread, touched only by its own thread. Not on the hot path: the
 * default TLS model. */
static _Thread_local tp_own_calls own_calls;

void tp_guard_enter(void)
{
    if (tp_guard_depth++ == 0)
        tp_own_calls_begin(&own_calls);
}

void tp_guard_exit(void)
{
    if (tp_guard_depth > 0 && --tp_guard_depth == 0) {
        tp_own_calls_end(&own_calls);
        tp_app_exceptions_guard_left();
    }
}
