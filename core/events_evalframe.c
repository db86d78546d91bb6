/* Events from the frame evaluator (PEP 523): the hook runs each
 * Python frame that starts or resumes, so the call is recorded before the
 * frame runs and its end after, with the value it returned or yielded, or
 * the exception it raised, which is still set on the thread. Unlike a
 * trace or profile function it leaves the interpreter's instruction loop
 * at full speed, and it covers every thread of the interpreter, including
 * those started from C. */
#include "events_source.h"

#include "compat/errstate.h"
#include "compat/evalframe.h"
#include "guard.h"
#include "record.h"
#include "stack_room.h"

#define RESUMABLE (CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR)

/* The frame has left: by an exception (no result), a yield or a return. */
static void frame_left(tp_thread *t, tp_iframe frame, PyCodeObject *code, PyObject *result)
{
    if (!result) {
        tp_guard_enter();   /* normalizing may run the exception's __init__ */
        PyObject *exc = tp_err_current();
        tp_guard_exit();
        tp_rec_exit(t, frame, code, frame, TP_EXIT_RAISE, exc);
        return;
    }
    int kind = TP_EXIT_RETURN;
    if ((code->co_flags & RESUMABLE) && tp_iframe_is_yielding(frame))
        kind = TP_EXIT_YIELD;
    tp_rec_exit(t, frame, code, frame, kind, result);
}

static PyObject *on_frame(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    tp_thread *t = tp_rec_thread();
    if (!t)
        return tp_evalframe_default(ts, frame, throwflag);
    const char *low = tp_stack_low() ? "a thread's C stack is nearly full"
                      : tp_evalframe_recursion_low(ts) ? "a thread's C recursion budget is nearly spent"
                                                       : NULL;
    if (low) {
        /* From here on the callbacks record, this frame included. */
        tp_events_fall_back(low);
        return tp_evalframe_default(ts, frame, throwflag);
    }
    /* The frame owns a reference to its code until after we return. */
    PyCodeObject *code = tp_iframe_code(frame);
    if ((code->co_flags & RESUMABLE) && tp_iframe_makes_generator(frame))
        return tp_evalframe_default(ts, frame, throwflag);
    if (tp_rec_enter(t, frame, code, frame, TP_ENTER_UNKNOWN) == TP_REC_IGNORED)
        return tp_evalframe_default(ts, frame, throwflag);
    PyObject *result = tp_evalframe_default(ts, frame, throwflag);
    /* The window may have closed, or another opened, while it ran. */
    t = tp_rec_thread();
    if (t)
        frame_left(t, frame, code, result);
    return result;
}

static bool start(void)
{
    return tp_evalframe_install(on_frame);
}

static void stop(void)
{
    tp_evalframe_remove();
}

/* Every thread runs through the hook: nothing to look for. */
static void poll(void)
{
}

/* name, start, stop, poll, stop_after_fork, skips_ignored: every frame
 * still runs through the hook. */
const tp_event_source tp_source_evalframe = {"frame evaluator", start, stop, poll, stop, false};
