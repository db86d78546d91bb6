#include "fork_warning.h"

#include <Python.h>
#include <time.h>

#include "frame.h"

bool tp_fork_warns_of_threads(void)
{
    return PY_VERSION_HEX >= 0x030C0000;
}

bool tp_fork_counted_already(void)
{
    return PY_VERSION_HEX < 0x030D0000;
}

#if PY_VERSION_HEX >= 0x030D0000

/* How long after a fork a frame below the forking one may still be one of
 * the `after_in_parent` functions (logging's releases a lock: microseconds).
 * Past this the caller has moved on, and waiting longer would only keep
 * the trigger file unwatched. */
#define AFTER_FUNCTIONS_NS (5 * 1000000LL)

/* The frame that called os.fork() and when; main thread or the forking
 * thread, always with the GIL held. Compared, never dereferenced after the
 * fork unless it is still on the current thread's chain. */
static tp_iframe fork_caller;
static long long forked_at_ns;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void tp_fork_note_caller(void)
{
    fork_caller = tp_current_iframe();
    forked_at_ns = now_ns();
}

bool tp_fork_may_still_count(void)
{
    tp_iframe f = tp_current_iframe();
    if (!fork_caller || !f || f == fork_caller || now_ns() - forked_at_ns > AFTER_FUNCTIONS_NS)
        return false;
    for (f = f->previous; f; f = f->previous)
        if (f == fork_caller)
            return true;
    return false;
}

#else

void tp_fork_note_caller(void)
{
}

bool tp_fork_may_still_count(void)
{
    return false;
}

#endif
