/* Events from sys.monitoring (3.12+), with C callables under a tool id of
 * our own, so cProfile, coverage and debuggers keep working beside us.
 * Code we ignore answers DISABLE and costs nothing after its first call.
 * Used for windows the frame evaluator does not serve (events_choose.c):
 * line mode, C calls, windows with module filters. */
#include "events_source.h"

#include <string.h>

#include "compat/errstate.h"
#include "compat/frame.h"
#include "log.h"
#include "record.h"

/* All below: GIL held; set while a window is open, reset at close. */
static int tool_id = -1;
static PyObject *disable;       /* sys.monitoring.DISABLE */

/* Code objects whose LINE events we switched on (line mode), to switch
 * off again at close; strong references. GIL held. */
static PyObject **line_codes;
static size_t n_line_codes, cap_line_codes;
static long line_event_bits;   /* LINE | JUMP */
static long instruction_bit;   /* INSTRUCTION: statement starts (multi-statement lines) */

/* Whether the line-mode code has lines of several statements, each a step
 * of its own: then INSTRUCTION events too, where every offset that starts
 * no statement answers DISABLE at its first event. */
static bool has_statements(PyObject *code)
{
    /* Finding the statements ran Python code: the window may have closed. */
    if (!tp_current_window)
        return false;
    tp_code_table *codes = &tp_current_window->codes;
    uint32_t ci = tp_code_lookup_key(codes, code);
    return ci != TP_CODE_NONE && codes->metas[ci].n_stmts > 0;
}

/* Room for one more code whose line events are on. */
static bool line_codes_room(void)
{
    if (n_line_codes < cap_line_codes)
        return true;
    size_t cap = cap_line_codes ? cap_line_codes * 2 : 8;
    PyObject **p = realloc(line_codes, cap * sizeof *p);
    if (!p)
        return false;
    line_codes = p;
    cap_line_codes = cap;
    return true;
}

static void want_lines(PyObject *code)
{
    for (size_t i = 0; i < n_line_codes; i++)
        if (line_codes[i] == code)
            return;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mon = PySys_GetObject("monitoring");
    long bits = line_event_bits | (has_statements(code) ? instruction_bit : 0);
    PyObject *r = mon ? PyObject_CallMethod(mon, "set_local_events", "iOl", tool_id, code, bits)
                      : NULL;
    /* The room is made after the call, which may have let another thread
     * add codes (an app's own sys.monitoring, say). Without room, the
     * events stay on and are not turned off at the window's end. */
    if (r && line_codes_room()) {
        Py_INCREF(code);
        line_codes[n_line_codes++] = code;
    }
    Py_XDECREF(r);
    tp_err_restore(&saved);
}

static void drop_lines(PyObject *mon)
{
    for (size_t i = 0; i < n_line_codes; i++) {
        PyObject *r = PyObject_CallMethod(mon, "set_local_events", "iOi", tool_id, line_codes[i], 0);
        Py_XDECREF(r);
        PyErr_Clear();
        Py_DECREF(line_codes[i]);
    }
    n_line_codes = 0;
}

static PyObject *answer(int status)
{
    if (status == TP_REC_IGNORED)
        return Py_NewRef(disable);
    Py_RETURN_NONE;
}

/* The frame the event is about: the running one, as callbacks run in the
 * frame that triggered them. NULL if that is not the code we were given. */
static tp_iframe event_frame(PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || !PyCode_Check(args[0]))
        return NULL;
    tp_iframe f = tp_current_iframe();
    return f && (PyObject *)tp_iframe_code(f) == args[0] ? f : NULL;
}

static PyObject *enter(PyObject *const *args, Py_ssize_t nargs, int kind)
{
    tp_thread *t = tp_rec_thread();
    tp_iframe f = t ? event_frame(args, nargs) : NULL;
    if (!f)
        Py_RETURN_NONE;
    int status = tp_rec_enter(t, f, (PyCodeObject *)args[0], f, kind);
    if (status == TP_REC_LINES)
        want_lines(args[0]);
    return answer(status);
}

/* A line-mode event (LINE, JUMP, INSTRUCTION) during a window: counted
 * (stats.line_events), then the frame it is about if it has `need`
 * arguments, or NULL. */
static tp_iframe line_event(tp_thread **t, PyObject *const *a, Py_ssize_t n, Py_ssize_t need)
{
    *t = tp_rec_thread();
    if (!*t)
        return NULL;
    tp_current_window->line_events++;
    return n >= need ? event_frame(a, n) : NULL;
}

static PyObject *on_line(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    tp_thread *t;
    tp_iframe f = line_event(&t, a, n, 2);
    if (f)
        tp_rec_line(t, f, (PyCodeObject *)a[0], (int)PyLong_AsLong(a[1]), false);
    Py_RETURN_NONE;
}

/* Only in line-mode code with multi-statement lines: a statement start
 * begins a step; any other offset is never asked about again (until
 * restart_events at the next window's start). */
static PyObject *on_instruction(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    tp_thread *t;
    tp_iframe f = line_event(&t, a, n, 2);
    /* Without a frame of ours (nothing recorded now), nothing is disabled. */
    long offset = f ? PyLong_AsLong(a[1]) : -1;
    PyErr_Clear();
    bool keep = offset < 0 || offset > INT32_MAX ||
                tp_rec_statement(t, f, (PyCodeObject *)a[0], (int)offset);
    return Py_NewRef(keep ? Py_None : disable);
}

/* A backward jump that stays on its line (a comprehension, inlined since
 * 3.12, or any loop written on one line) gets no LINE event: each such
 * iteration is a step of that line. */
static PyObject *on_jump(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    tp_thread *t;
    tp_iframe f = line_event(&t, a, n, 3);
    if (!f)
        Py_RETURN_NONE;
    long from = PyLong_AsLong(a[1]), to = PyLong_AsLong(a[2]);
    PyCodeObject *code = (PyCodeObject *)a[0];
    if (to >= 0 && to < from) {
        int line = PyCode_Addr2Line(code, (int)to);
        if (line >= 0 && line == PyCode_Addr2Line(code, (int)from))
            tp_rec_line(t, f, code, line, true);
    }
    PyErr_Clear();
    Py_RETURN_NONE;
}

static PyObject *leave(PyObject *const *args, Py_ssize_t nargs, int kind)
{
    tp_thread *t = tp_rec_thread();
    tp_iframe f = t ? event_frame(args, nargs) : NULL;
    if (!f)
        Py_RETURN_NONE;
    PyObject *value = nargs >= 3 ? args[2] : NULL;
    int status = tp_rec_exit(t, f, (PyCodeObject *)args[0], f, kind, value);
    /* DISABLE is not allowed for PY_UNWIND. */
    return kind == TP_EXIT_RAISE ? (Py_INCREF(Py_None), Py_None) : answer(status);
}

static PyObject *on_start(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return enter(a, n, TP_ENTER_START);
}

static PyObject *on_resume(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return enter(a, n, TP_ENTER_RESUME);
}

static PyObject *on_throw(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    PyObject *r = enter(a, n, TP_ENTER_RESUME);
    /* PY_THROW cannot be disabled either. */
    if (r == disable) {
        Py_DECREF(r);
        Py_RETURN_NONE;
    }
    return r;
}

static PyObject *on_return(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return leave(a, n, TP_EXIT_RETURN);
}

static PyObject *on_yield(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return leave(a, n, TP_EXIT_YIELD);
}

static PyObject *on_unwind(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return leave(a, n, TP_EXIT_RAISE);
}

/* C calls (record_c_calls): CALL fires for every call; only C functions
 * become nodes, ended by C_RETURN / C_RAISE. */
static PyObject *c_event(PyObject *const *args, Py_ssize_t nargs, int what)
{
    tp_thread *t = tp_rec_thread();
    if (!t || nargs < 3)
        Py_RETURN_NONE;
    if (what == 0)
        tp_rec_c_call(t, args[2]);
    else
        tp_rec_c_return(t, args[2], what == 2);
    Py_RETURN_NONE;
}

static PyObject *on_call(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return c_event(a, n, 0);
}

static PyObject *on_c_return(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return c_event(a, n, 1);
}

static PyObject *on_c_raise(PyObject *s, PyObject *const *a, Py_ssize_t n)
{
    (void)s;
    return c_event(a, n, 2);
}

typedef struct callback {
    const char *event;          /* attribute of sys.monitoring.events */
    PyMethodDef def;
    PyObject *fn;               /* created once, kept for the process */
} callback;

#define CB(ev, f) {ev, {"_tracepatch_" ev, (PyCFunction)(void (*)(void))f, METH_FASTCALL, NULL}, NULL}
/* Written only by start() (`fn`, at a window's first start), read at each
 * start and stop: main thread or the thread that opens the window, GIL
 * held. */
static callback callbacks[] = {
    CB("PY_START", on_start), CB("PY_RESUME", on_resume), CB("PY_THROW", on_throw),
    CB("PY_RETURN", on_return), CB("PY_YIELD", on_yield), CB("PY_UNWIND", on_unwind),
    /* LINE, JUMP, INSTRUCTION: never in the global mask, switched on per
     * code object. */
    CB("LINE", on_line), CB("JUMP", on_jump), CB("INSTRUCTION", on_instruction),
    /* Only with record_c_calls (see N_PY_CALLBACKS). */
    CB("CALL", on_call), CB("C_RETURN", on_c_return), CB("C_RAISE", on_c_raise),
};
#define N_PY_CALLBACKS 9
#define N_CALLBACKS (sizeof callbacks / sizeof callbacks[0])

static long event_bit(PyObject *events, const char *name)
{
    PyObject *v = PyObject_GetAttrString(events, name);
    long bit = v ? PyLong_AsLong(v) : -1;
    Py_XDECREF(v);
    return bit;
}

/* Said once per process that our preferred id was taken (GIL held). */
static bool said_taken;

static int claim_tool(PyObject *mon)
{
    static const int preferred[] = {3, 4, 5, 1, 0};
    for (size_t i = 0; i < sizeof preferred / sizeof preferred[0]; i++) {
        PyObject *owner = PyObject_CallMethod(mon, "get_tool", "i", preferred[i]);
        bool free_id = owner == Py_None;
        Py_XDECREF(owner);
        if (!free_id)
            continue;
        PyObject *r = PyObject_CallMethod(mon, "use_tool_id", "is", preferred[i], "tracepatch");
        Py_XDECREF(r);
        if (r) {
            if (i > 0 && !said_taken) {
                tp_log("sys.monitoring tool id %d is taken: using %d", preferred[0], preferred[i]);
                said_taken = true;
            }
            return preferred[i];
        }
        PyErr_Clear();
    }
    return -1;
}

static bool start(PyObject *mon)
{
    PyObject *events = PyObject_GetAttrString(mon, "events");
    disable = disable ? disable : PyObject_GetAttrString(mon, "DISABLE");
    if (!events || !disable) {
        Py_XDECREF(events);
        return false;
    }
    tool_id = claim_tool(mon);
    if (tool_id < 0) {
        tp_log("no free sys.monitoring tool id; window not opened");
        Py_DECREF(events);
        return false;
    }
    long mask = 0;
    bool ok = true;
    size_t n = tp_current_window->cfg->record_c_calls ? N_CALLBACKS : N_PY_CALLBACKS;
    for (size_t i = 0; ok && i < n; i++) {
        callback *c = &callbacks[i];
        long bit = event_bit(events, c->event);
        if (!c->fn)
            c->fn = PyCFunction_New(&c->def, NULL);
        PyObject *r = bit > 0 && c->fn
                          ? PyObject_CallMethod(mon, "register_callback", "ilO", tool_id, bit, c->fn)
                          : NULL;
        ok = r != NULL;
        Py_XDECREF(r);
        if (strcmp(c->event, "LINE") == 0 || strcmp(c->event, "JUMP") == 0)
            line_event_bits |= bit;
        else if (strcmp(c->event, "INSTRUCTION") == 0)
            instruction_bit = bit;
        else
            mask |= bit;
    }
    Py_DECREF(events);
    PyObject *r = ok ? PyObject_CallMethod(mon, "set_events", "il", tool_id, mask) : NULL;
    ok = r != NULL;
    Py_XDECREF(r);
    /* Code disabled in an earlier window is asked again. */
    r = ok ? PyObject_CallMethod(mon, "restart_events", NULL) : NULL;
    ok = r != NULL;
    Py_XDECREF(r);
    return ok;
}

static void stop(PyObject *mon)
{
    if (tool_id < 0)
        return;
    drop_lines(mon);
    PyObject *r = PyObject_CallMethod(mon, "set_events", "ii", tool_id, 0);
    Py_XDECREF(r);
    PyObject *events = PyObject_GetAttrString(mon, "events");
    for (size_t i = 0; events && i < N_CALLBACKS; i++) {
        r = PyObject_CallMethod(mon, "register_callback", "ilO", tool_id,
                                event_bit(events, callbacks[i].event), Py_None);
        Py_XDECREF(r);
    }
    Py_XDECREF(events);
    r = PyObject_CallMethod(mon, "free_tool_id", "i", tool_id);
    Py_XDECREF(r);
    tool_id = -1;
}

static bool source_start(void)
{
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mon = PySys_GetObject("monitoring");
    bool ok = mon && start(mon);
    if (!ok) {
        tp_log("sys.monitoring refused our callbacks; window not opened");
        if (mon)
            stop(mon);
    }
    tp_err_restore(&saved);
    return ok;
}

static void source_stop(void)
{
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *mon = PySys_GetObject("monitoring");
    if (mon)
        stop(mon);
    tp_err_restore(&saved);
}

/* sys.monitoring covers every thread already. */
static void source_poll(void)
{
}

/* name, start, stop, poll, stop_after_fork, skips_ignored: code we ignore
 * answers DISABLE. */
const tp_event_source tp_source_callbacks = {"sys.monitoring", source_start, source_stop,
                                             source_poll, source_stop, true};
