/* Events from a C trace function (3.8-3.11), for windows that the frame
 * evaluator cannot serve (events_choose.c): line mode, C calls. A profile
 * function would be cheaper, but it never sees the exception that ends a
 * frame (CPython hides it while calling the profiler); the trace function
 * gets an `exception` event first. Line events are turned off per frame. */
#include "events_source.h"

#include "compat/errstate.h"
#include "compat/frame.h"
#include "compat/opcode_events.h"
#include "compat/tracefunc.h"
#include "imported_module.h"
#include "log.h"
#include "record.h"


static void module_body_returned(PyCodeObject *code);

static int on_event(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    (void)obj;
    tp_thread *t = tp_rec_thread();
    if (!t)
        return 0;
    tp_iframe f = tp_iframe_of(frame);
    PyCodeObject *code = tp_iframe_code(f);
    switch (what) {
    case PyTrace_CALL:
        /* Line events only for line-mode calls (line_functions). */
        if (tp_rec_enter(t, frame, code, f, TP_ENTER_UNKNOWN) != TP_REC_LINES)
            tp_frame_no_lines(frame);
        break;
    case PyTrace_LINE:
        tp_current_window->line_events++;
        /* On a line of several statements, their starts come as opcode
         * events: asked for in this frame only, only while it is there. */
        tp_frame_trace_opcodes(frame, tp_rec_line(t, frame, code, PyFrame_GetLineNumber(frame),
                                                  false));
        break;
    case PyTrace_OPCODE:
        tp_current_window->line_events++;
        tp_rec_statement(t, frame, code, tp_frame_offset(frame));
        break;
    case PyTrace_EXCEPTION:
        if (arg && PyTuple_Check(arg) && PyTuple_GET_SIZE(arg) >= 2)
            tp_rec_exception_seen(t, frame, PyTuple_GET_ITEM(arg, 1));
        break;
    case PyTrace_RETURN: {
        int kind = TP_EXIT_RETURN;
        if (!arg)
            kind = TP_EXIT_RAISE;
        else if ((code->co_flags & TP_CO_RESUMABLE) && tp_frame_is_yielding(frame))
            kind = TP_EXIT_YIELD;
        if (tp_rec_exit(t, frame, code, f, kind, arg) == TP_REC_IGNORED)
            module_body_returned(code);
        break;
    }
    default:
        break;
    }
    return 0;
}

/* C calls (record_c_calls): only the profile function sees them. */
static int on_profile(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    (void)obj;
    (void)frame;
    if (what != PyTrace_C_CALL && what != PyTrace_C_RETURN && what != PyTrace_C_EXCEPTION)
        return 0;
    tp_thread *t = tp_rec_thread();
    if (!t || !arg)
        return 0;
    if (what == PyTrace_C_CALL)
        tp_rec_c_call(t, arg);
    else
        tp_rec_c_return(t, arg, what == PyTrace_C_EXCEPTION);
    return 0;
}

static bool want_c_calls(void)
{
    return tp_current_window && tp_current_window->cfg->record_c_calls;
}

/* Threads started by `threading` during a window: threading calls
 * sys.settrace(threading._trace_hook) in the new thread before run();
 * our hook then swaps itself for the C trace function. */
static PyObject *thread_bootstrap(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *frame = NULL, *event = NULL, *arg = NULL;
    if (!PyArg_ParseTuple(args, "OOO", &frame, &event, &arg))
        return NULL;
    PyEval_SetTrace(on_event, NULL);
    if (want_c_calls())
        PyEval_SetProfile(on_profile, NULL);
    if (PyFrame_Check(frame) && PyUnicode_Check(event) &&
        PyUnicode_CompareWithASCIIString(event, "call") == 0)
        on_event(NULL, (PyFrameObject *)frame, PyTrace_CALL, Py_None);
    Py_RETURN_NONE;
}

/* Never written (CPython's API takes it non-const). */
static PyMethodDef bootstrap_def = {"_tracepatch_thread_bootstrap", thread_bootstrap,
                                    METH_VARARGS, NULL};
/* Created once, kept for the life of the process (GIL held). */
static PyObject *bootstrap_fn;
/* Threads with a foreign trace function already reported in this window
 * (GIL held). */
static int refused_reported;

/* threading's module dict, if the app imported threading (borrowed). */
static PyObject *threading_dict(void)
{
    PyObject *mod = tp_imported_module("threading");
    return mod ? PyModule_GetDict(mod) : NULL;
}

/* Whether threading._trace_hook is ours in the open window (GIL held). */
static bool hook_set;

/* Whether the window said why it leaves threading._trace_hook alone
 * (GIL held). */
static bool hook_refusal_reported;

/* Only once threading's module body has run (it assigns _trace_hook =
 * None itself): at window open, or when that body returns. Not where
 * threads that start together could die of it (the app has a Python
 * audit hook on 3.10/3.11): those are found by the sweep instead, every
 * 1024 recorded calls, and miss their first calls. The sweep also takes
 * the hook out once the app has added an audit hook. */
static void set_thread_hook(bool on)
{
    if (on && tp_trace_set_may_fail_in_threads()) {
        if (!hook_refusal_reported)
            tp_log("the app has audit hooks: threads started in this window are traced from "
                   "a later call, not their first (CPython gh-98257)");
        hook_refusal_reported = true;
        on = false;
    }
    if (on == hook_set)
        return;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *d = threading_dict();
    PyObject *cur = d ? PyDict_GetItemString(d, "_trace_hook") : NULL;
    if (on && cur == Py_None) {
        if (!bootstrap_fn)
            bootstrap_fn = PyCFunction_New(&bootstrap_def, NULL);
        hook_set = bootstrap_fn && PyDict_SetItemString(d, "_trace_hook", bootstrap_fn) == 0;
    } else if (!on) {
        if (cur && cur == bootstrap_fn)
            PyDict_SetItemString(d, "_trace_hook", Py_None);
        hook_set = false;
    }
    tp_err_restore(&saved);
}

/* threading imported inside the window: hook it once its body is done. */
static void module_body_returned(PyCodeObject *code)
{
    if (!hook_set && PyUnicode_CompareWithASCIIString(code->co_name, "<module>") == 0)
        set_thread_hook(true);
}

/* Installs the trace function on every thread that lacks it. Threads
 * with someone else's trace function are left alone and reported once
 * per window. */
static void install_everywhere(void)
{
    PyThreadState *me = PyThreadState_Get();
    int refused = 0;
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(me->interp); ts;
         ts = PyThreadState_Next(ts)) {
        if (ts->c_tracefunc == on_event)
            continue;
        if (tp_trace_set(ts, on_event))
            tp_trace_quiet_running_frames(ts);
        else
            refused++;
        if (want_c_calls() && !tp_profile_set(ts, on_profile))
            tp_debug("a thread already has a profile function: its C calls are not recorded");
    }
    if (refused > refused_reported) {
        tp_log("%d thread(s) already run a trace function (a debugger or coverage?): "
               "not traced", refused);
        refused_reported = refused;
    }
}

static bool start(void)
{
    refused_reported = 0;
    hook_refusal_reported = false;
    install_everywhere();
    set_thread_hook(true);
    return true;
}

static void poll(void)
{
    install_everywhere();
    set_thread_hook(true);
}

static void stop(void)
{
    PyThreadState *me = PyThreadState_Get();
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(me->interp); ts;
         ts = PyThreadState_Next(ts)) {
        tp_trace_clear(ts, on_event);
        tp_profile_clear(ts, on_profile);
    }
    set_thread_hook(false);
}

/* name, start, stop, poll, stop_after_fork, skips_ignored: ignored code
 * still gets its events, answered early. */
const tp_event_source tp_source_callbacks = {"trace function", start, stop, poll, stop, false};
