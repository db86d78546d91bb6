/* The recorder's "not now" switch for one thread.
 *
 * While the depth is above zero on a thread, the recorder ignores that
 * thread's events: we are running user code (a __repr__, a __str__, a
 * __del__ we triggered) on our own behalf, and its calls are not the app's. */
#ifndef TP_GUARD_H
#define TP_GUARD_H

#include <stdbool.h>

#include "app_exceptions.h"

/* Owned by each thread for itself: only the thread that runs user code for us
 * changes or reads its own copy. Nesting is allowed (a count, not a flag). */
/* initial-exec: read at every event, it must not cost a call to
 * __tls_get_addr (one word of the static TLS surplus dlopen leaves). */
extern _Thread_local unsigned tp_guard_depth __attribute__((tls_model("initial-exec")));

/* The outermost enter also hides what runs from the app's own trace and
 * profile functions and sys.monitoring tools, and the last exit puts back
 * what a RecursionError of ours changed (compat/own_calls.h). Not on the
 * hot path. */
void tp_guard_enter(void);
void tp_guard_exit(void);

/* The word's top bit: the main thread's pending call found the guard
 * active there and left the app's exception waiting (app_exceptions.c);
 * the exit that brings the counts to zero schedules it again. Kept in the
 * word, not a flag of its own, so that each exit tests once. */
#define TP_GUARD_DEFERRED (1u << 31)

static inline bool tp_guard_active(void)
{
    return (tp_guard_depth & ~TP_GUARD_DEFERRED) != 0;
}

/* A recording step holds the guard too, without hiding anything from the
 * app's tracers: the app's code can run in the middle of our C code (a
 * finalizer run by a collection that one of our allocations started, a
 * dict key's __eq__), and recording it there would nest one call's
 * recording inside another's (texts glued together, a node written past
 * its array). Counted above the calls' own depth, which the enter and
 * exit above look at alone. Inline: every recorded call holds it twice. */
#define TP_GUARD_HOLD (1u << 16)

static inline void tp_guard_hold(void)
{
    tp_guard_depth += TP_GUARD_HOLD;
}

static inline void tp_guard_unhold(void)
{
    if ((tp_guard_depth -= TP_GUARD_HOLD) == TP_GUARD_DEFERRED)
        tp_app_exceptions_guard_left();
}

#endif
