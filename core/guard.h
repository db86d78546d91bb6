/* The recorder's "not now" switch for one thread.
 *
 * While the depth is above zero on a thread, the recorder ignores that
 * thread's events: we are running user code (a __repr__, a __str__, a
 * __del__ we triggered) on our own behalf, and its calls are not the app's. */
#ifndef TP_GUARD_H
#define TP_GUARD_H

#include <stdbool.h>

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

static inline bool tp_guard_active(void)
{
    return tp_guard_depth > 0;
}

#endif
