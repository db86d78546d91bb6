/* Events from the frame evaluator (PEP 523): the hook runs each
 * Python frame that starts or resumes, so the call is recorded before the
 * frame runs and its end after, with the value it returned or yielded, or
 * the exception it raised, which is still set on the thread. Unlike a
 * trace or profile function it leaves the interpreter's instruction loop
 * at full speed, and it covers every thread of the interpreter, including
 * those started from C. */
#include "events_source.h"

#include "compat/evalframe.h"
#include "guard.h"
#include "record.h"
#include "stack_room.h"

/* Runs a frame that may be recorded; t: this thread's, when known. */
static PyObject *evaluate(tp_thread *t, PyThreadState *ts, tp_iframe frame, int throwflag)
{
    /* The frame owns a reference to its code until after we return. */
    PyCodeObject *code = tp_iframe_code(frame);
    if ((code->co_flags & TP_CO_RESUMABLE) && tp_iframe_makes_generator(frame))
        return tp_evalframe_default(ts, frame, throwflag);
    return tp_rec_evaluate(t, ts, frame, code, throwflag);
}

/* Everything but the common case: no window, our own user code, a thread
 * not yet attached or whose stack was never measured, too little room, an
 * app's trace function (3.12+: compat/evalframe.h). */
static __attribute__((noinline)) PyObject *on_frame_other(PyThreadState *ts, tp_iframe frame,
                                                          int throwflag)
{
    tp_thread *t = tp_rec_thread();
    if (!t)
        return tp_evalframe_default(ts, frame, throwflag);
    const char *low = tp_stack_low() ? "a thread's C stack is nearly full"
                      : tp_evalframe_recursion_low(ts) ? "a thread's C recursion budget is nearly spent"
                      : tp_evalframe_app_traces(ts)
                          ? "the app runs a trace function (sys.settrace: a debugger, coverage)"
                          : NULL;
    if (low) {
        /* From here on the callbacks record, this frame included. */
        tp_events_fall_back(low);
        return tp_evalframe_default(ts, frame, throwflag);
    }
    return evaluate(t, ts, frame, throwflag);
}

/* Every Python frame of the interpreter starts here. The common case
 * makes no call before the last, so it saves no registers. A thread's
 * first frame takes the other path, which measures its stack; the floor
 * is checked anyway, as a thread may be attached by another event. */
static PyObject *on_frame(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    char here;
    tp_window *w = tp_current_window;
    if (!w || tp_guard_active() || tp_thread_tls.gen != w->gen || !tp_stack_floor ||
        (uintptr_t)&here < tp_stack_floor || tp_evalframe_recursion_low(ts) ||
        tp_evalframe_app_traces(ts))
        return on_frame_other(ts, frame, throwflag);
    return evaluate(tp_thread_tls.thread, ts, frame, throwflag);
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
