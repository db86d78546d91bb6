/* The recorder: turns call/return events, whatever their source (the
 * frame evaluator, the trace function, sys.monitoring), into nodes. GIL
 * held. */
#ifndef TP_RECORD_H
#define TP_RECORD_H

#include "guard.h"
#include "window.h"

enum tp_enter_kind {
    TP_ENTER_UNKNOWN,   /* a call or a resume: the recorder tells them apart */
    TP_ENTER_START,     /* certainly a new call */
    TP_ENTER_RESUME,    /* certainly a generator/coroutine resuming */
};

enum tp_exit_kind { TP_EXIT_RETURN, TP_EXIT_YIELD, TP_EXIT_RAISE, TP_EXIT_C_RETURN };

enum tp_rec_status {
    TP_REC_OK,
    TP_REC_IGNORED,     /* code we never record: the event source may stop asking */
    TP_REC_LINES,       /* a call in line mode: send its line events */
};

/* The open window, or NULL. Written by window.c with the GIL held; read by
 * every event callback (also with the GIL held). */
extern tp_window *tp_current_window;

/* Each thread's recording state for the window with generation `gen`;
 * stale when the generation differs, and then never dereferenced. */
typedef struct tp_thread_cache {
    uint64_t gen;
    tp_thread *thread;
} tp_thread_cache;
extern _Thread_local tp_thread_cache tp_thread_tls __attribute__((tls_model("initial-exec")));

tp_thread *tp_rec_thread_attach(tp_window *w);

/* This thread's state in the open window, or NULL when nothing should be
 * recorded (no window, or we are running user code ourselves). */
static inline tp_thread *tp_rec_thread(void)
{
    tp_window *w = tp_current_window;
    if (!w || tp_guard_active())
        return NULL;
    if (tp_thread_tls.gen == w->gen)
        return tp_thread_tls.thread;
    return tp_rec_thread_attach(w);
}

int tp_rec_enter(tp_thread *t, const void *key, PyCodeObject *code, tp_iframe frame, int kind);
int tp_rec_exit(tp_thread *t, const void *key, PyCodeObject *code, tp_iframe frame, int kind,
                PyObject *value);
/* Code flags of frames that can be left and resumed. */
#define TP_CO_RESUMABLE (CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR)
/* The frame evaluator's frame, whole: records its start, runs it with
 * CPython's own evaluator, records how it left (a return, a yield, or the
 * exception still set on the thread) and returns what it returned. One C
 * frame for the call and its end: every Python call of a window runs
 * through here, and tp_rec_enter with tp_rec_exit would pay two
 * functions' set-up (~40 instructions a call). GIL held. */
PyObject *tp_rec_evaluate(tp_thread *t, PyThreadState *ts, tp_iframe frame, PyCodeObject *code,
                          int throwflag);
/* Line mode: frame `key`, running `code`, is about to run line `lineno`
 * (`again`: runs it again from a jump within it, a loop on one line).
 * Returns true when that line's statements are steps of their own: the
 * event source then reports the frame's instructions to
 * tp_rec_statement while it is on that line. */
bool tp_rec_line(tp_thread *t, const void *key, PyCodeObject *code, int lineno, bool again);
/* Line mode: frame `key`, running `code`, is about to run the instruction
 * at byte `offset`. Returns false when that offset never starts a
 * statement of a multi-statement line (the source may stop reporting it). */
bool tp_rec_statement(tp_thread *t, const void *key, PyCodeObject *code, int offset);
/* C functions (record_c_calls): a call of `callable` starts / ends. */
void tp_rec_c_call(tp_thread *t, PyObject *callable);
void tp_rec_c_return(tp_thread *t, PyObject *callable, bool raised);
/* Trace-function path: an exception passed through frame `key`; kept in
 * case the frame ends by it (its RETURN event does not carry it). */
void tp_rec_exception_seen(tp_thread *t, const void *key, PyObject *exc);

/* At close, GIL held: drops Python references held by the stack. */
void tp_thread_release(tp_thread *t);
/* Any thread, after release. */
void tp_thread_free(tp_thread *t);

#endif
