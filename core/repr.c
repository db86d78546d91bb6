/* tp_repr's entry points and dispatch, and the exact containers. */
#include "repr_internal.h"
#include "repr_key.h"

#include "float_text.h"

#include "compat/api.h"

#include "guard.h"

/* Containers render out of line: inlined into tp_render_value, their
 * frames made every nested int or str pay for saving their registers. */
#define NOINLINE __attribute__((noinline))

/* Inline, so that a literal's length is known where it is written. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE void put(tp_render *r, const char *ascii)
{
    tp_sink_cstr(&r->sink, ascii);
}

static bool is_active(const tp_render *r, PyObject *container)
{
    for (const tp_active *a = r->innermost; a; a = a->outer) {
        if (a->container == container)
            return true;
    }
    return false;
}

/* Pushes a container; false (and the whole value fails) when too deep. */
static bool enter(tp_render *r, tp_active *frame, PyObject *container)
{
    if (r->depth >= TP_REPR_MAX_NESTING) {
        r->too_deep = true;
        tp_sink_stop(&r->sink);   /* stop writing; tp_repr replaces the value */
        return false;
    }
    frame->container = container;
    frame->outer = r->innermost;
    frame->python_knows = false;
    r->innermost = frame;
    r->depth++;
    return true;
}

static void leave(tp_render *r, tp_active *frame)
{
    r->innermost = frame->outer;
    r->depth--;
}

/* Renders an item the container may drop meanwhile (a user __repr__ can
 * mutate it), so it holds its own reference, as list_repr does. */
static void render_held(tp_render *r, PyObject *item)
{
    Py_INCREF(item);
    tp_render_value(r, item);
    tp_release(item);
}

/* What every container starts with: its empty form, its form when met
 * inside itself, or its opening once entered. False: nothing more to
 * write (the empty or recursive form was written, or entering failed). */
static ALWAYS_INLINE bool open_container(tp_render *r, tp_active *frame, PyObject *c,
                                         Py_ssize_t size, const char *empty,
                                         const char *recursive, const char *opening)
{
    if (size == 0) {
        put(r, empty);
        return false;
    }
    if (is_active(r, c)) {
        put(r, recursive);
        return false;
    }
    if (!enter(r, frame, c))
        return false;
    put(r, opening);
    return true;
}

static NOINLINE void render_list(tp_render *r, PyObject *list)
{
    uint32_t guard = r->log ? tp_guard_open(r, list) : 0;
    tp_active frame;
    if (!open_container(r, &frame, list, PyList_GET_SIZE(list), "[]", "[...]", "["))
        return;
    bool held = r->held;
    r->held = false;   /* a list can swap an item for another at the same address */
    /* the size is re-read each time: a user __repr__ may shrink the list */
    Py_ssize_t i;
    for (i = 0; i < PyList_GET_SIZE(list) && !r->sink.full; i++) {
        if (i > 0)
            put(r, ", ");
        PyObject *item = PyList_GET_ITEM(list, i);
        if (r->log)
            tp_guard_item(r, item, tp_item_kind_of(item), false);
        render_held(r, item);
    }
    r->held = held;
    put(r, "]");
    leave(r, &frame);
    if (r->log)
        tp_guard_close(r, guard, ((PyListObject *)list)->ob_item, (size_t)i);
}

static NOINLINE void render_tuple(tp_render *r, PyObject *tuple)
{
    uint32_t guard = r->log ? tp_guard_open(r, tuple) : 0;
    tp_active frame;
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    if (!open_container(r, &frame, tuple, n, "()", "(...)", "("))
        return;
    Py_ssize_t i;
    for (i = 0; i < n && !r->sink.full; i++) {
        if (i > 0)
            put(r, ", ");
        PyObject *item = PyTuple_GET_ITEM(tuple, i);
        if (r->log)
            tp_guard_item(r, item, tp_item_kind_of(item), r->held);
        tp_render_value(r, item);
    }
    if (n == 1)
        put(r, ",)");
    else
        put(r, ")");
    leave(r, &frame);
    if (r->log)
        tp_guard_close(r, guard, ((PyTupleObject *)tuple)->ob_item, (size_t)i);
}

static void render_dict_entry(tp_render *r, PyObject *key, PyObject *value,
                              tp_item_kind key_kind, tp_item_kind value_kind)
{
    if (r->log)
        tp_guard_item(r, key, key_kind, true);
    if (r->log)
        tp_guard_item(r, value, value_kind, true);
    Py_INCREF(key);
    Py_INCREF(value);
    bool redacted = tp_render_key(r, key);
    put(r, ": ");
    if (redacted)
        put(r, TP_REPR_REDACTED);
    else
        tp_render_value(r, value);
    tp_release(value);
    tp_release(key);
}

/* A dict of plain scalars, rendered whole in ASCII, is kept (repr_memo.c). */
static void keep_if_plain(tp_render *r, PyObject *dict, uint64_t version, size_t len,
                          size_t count)
{
    size_t n = r->sink.out->len - len;
    if (!r->sink.full && n == tp_sink_count(&r->sink) - count)
        tp_dict_memo_keep(r->opts, dict, version, r->sink.out->data + len, n);
}

static NOINLINE void render_dict(tp_render *r, PyObject *dict)
{
    if (r->log)
        tp_guard_dict(r, dict, tp_dict_version(dict));
    uint64_t version = PyDict_GET_SIZE(dict) ? tp_dict_version(dict) : 0;
    if (version && tp_dict_memo_write(r, dict, version))
        return;
    size_t len = r->sink.out->len, count = tp_sink_count(&r->sink);
    tp_active frame;
    if (!open_container(r, &frame, dict, PyDict_GET_SIZE(dict), "{}", "{...}", "{"))
        return;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    bool first = true, plain = version != 0, held = r->held;
    r->held = true;   /* its version vouches for its keys and values */
    while (!r->sink.full && PyDict_Next(dict, &pos, &key, &value)) {
        if (!first)
            put(r, ", ");
        first = false;
        tp_item_kind key_kind = tp_item_kind_of(key), value_kind = tp_item_kind_of(value);
        plain = plain && tp_item_is_plain(key_kind) && tp_item_is_plain(value_kind);
        render_dict_entry(r, key, value, key_kind, value_kind);
    }
    r->held = held;
    put(r, "}");
    leave(r, &frame);
    if (plain)
        keep_if_plain(r, dict, version, len, count);
}

/* Python prints the elements of a snapshot; we walk the set itself so that
 * only what is shown is visited. If a user __repr__ resizes the set
 * meanwhile, the elements stop there. */
static void render_set_elements(tp_render *r, PyObject *set)
{
    PyObject *it = PyObject_GetIter(set);
    if (!it) {
        PyErr_Clear();
        return;
    }
    PyObject *item;
    bool first = true;
    while (!r->sink.full && (item = PyIter_Next(it)) != NULL) {
        if (!first)
            put(r, ", ");
        first = false;
        tp_render_value(r, item);
        tp_release(item);
    }
    if (PyErr_Occurred())
        PyErr_Clear();
    tp_release(it);
}

static NOINLINE void render_set(tp_render *r, PyObject *set)
{
    tp_active frame;
    bool frozen = PyFrozenSet_CheckExact(set);
    if (!open_container(r, &frame, set, PySet_GET_SIZE(set), frozen ? "frozenset()" : "set()",
                        frozen ? "frozenset(...)" : "set(...)", frozen ? "frozenset({" : "{"))
        return;
    render_set_elements(r, set);
    put(r, frozen ? "})" : "}");
    leave(r, &frame);
}

/* Ints 0..99, most of those in containers, without tp_render_int's set-up. */
static ALWAYS_INLINE void render_int(tp_render *r, PyObject *o)
{
    long long v;
    if (tp_long_small(o, &v) && v >= 0 && v < 100) {
        if (v < 10)
            tp_sink_ascii(&r->sink, tp_digit_pairs + 2 * v + 1, 1);
        else
            tp_sink_ascii(&r->sink, tp_digit_pairs + 2 * v, 2);
        return;
    }
    tp_render_int(r, o);
}

/* Types rendered here; everything else is "unknown". */
void tp_render_value(tp_render *r, PyObject *o)
{
    if (r->sink.full)
        return;
    PyTypeObject *tp = Py_TYPE(o);
    if (o == Py_None)
        put(r, "None");
    else if (tp == &PyLong_Type)
        render_int(r, o);
    else if (tp == &PyUnicode_Type)
        tp_render_str(r, o);
    else if (o == Py_True)
        put(r, "True");
    else if (o == Py_False)
        put(r, "False");
    else if (tp == &PyFloat_Type)
        tp_render_float(r, o);
    else if (tp == &PyBytes_Type)
        tp_render_bytes(r, o);
    else if (tp == &PyList_Type)
        render_list(r, o);
    else if (tp == &PyTuple_Type)
        render_tuple(r, o);
    else if (tp == &PyDict_Type)
        render_dict(r, o);
    else if (tp == &PySet_Type || tp == &PyFrozenSet_Type)
        render_set(r, o);
    else if (tp == &PyType_Type)
        tp_render_class(r, (PyTypeObject *)o);
    else if (tp == &PyFunction_Type)
        tp_render_function(r, o);
    else if (tp_is_builtin_function(tp))
        tp_render_builtin(r, o);
    else
        tp_render_unknown(r, o);
}

static void render_begin(tp_render *r, const tp_repr_opts *opts, tp_buf *out)
{
    tp_sink_init(&r->sink, out, opts->max_chars);
    r->opts = opts;
    r->innermost = NULL;
    r->depth = 0;
    r->too_deep = false;
    r->log = NULL;
    r->held = false;
}

/* Nesting beyond TP_REPR_MAX_NESTING: like Python, no partial repr. */
static void render_end(tp_render *r)
{
    if (!r->too_deep)
        return;
    tp_sink_rewind(&r->sink);
    put(r, "<repr failed: RecursionError>");
}

/* Renders `o` with `fn`, leaving the caller's pending exception exactly
 * as it was and none of ours behind. Taking guards into `log` when not
 * NULL: true when they vouch for the whole text. */
static bool render_guarded(PyObject *o, const tp_repr_opts *opts, tp_buf *out,
                           void (*fn)(tp_render *, PyObject *), tp_guard_log *log)
{
    tp_render r;
    render_begin(&r, opts, out);
    if (!o) {
        put(&r, "<NULL>");
        tp_sink_end(&r.sink);
        return false;
    }
    r.log = log;
    tp_errstate saved;
    tp_err_save(&saved);
    fn(&r, o);
    render_end(&r);
    tp_sink_end(&r.sink);
    tp_err_restore(&saved);
    return r.log && !r.too_deep;
}

/* ---- the common cases, without the render machinery ---- */

static bool put_whole(tp_buf *out, const char *text, size_t n, size_t max_chars)
{
    if (max_chars && n > max_chars)
        return false;
    tp_buf_append(out, text, n);
    return true;
}

/* An exact int that fits 64 bits. Exact ints convert without calling
 * __index__, so nothing can raise here. */
static bool fast_int(PyObject *o, size_t max_chars, tp_buf *out)
{
    long long v;
    if (!tp_long_small(o, &v)) {
        int overflow = 0;
        v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow)
            return false;
    }
    char digits[TP_DIGITS_MAX];
    size_t start = tp_format_long_long(digits, v);
    return put_whole(out, digits + start, sizeof digits - start, max_chars);
}

/* A float that float_text.c prints (positional, not whole). */
static bool fast_float(PyObject *o, size_t max_chars, tp_buf *out)
{
    size_t n;
    const char *text = tp_float_memo_text(PyFloat_AS_DOUBLE(o), &n);
    return text && put_whole(out, text, n, max_chars);
}

/* The text of an empty dict, list or tuple (a `**kwargs` nobody filled),
 * written without the render set-up; NULL when `o` holds something. */
static const char *empty_form(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    if (tp == &PyDict_Type)
        return PyDict_GET_SIZE(o) ? NULL : "{}";
    if (Py_SIZE(o))
        return NULL;
    return tp == &PyList_Type ? "[]" : "()";
}

/* A dict, list or tuple: its kept text when its guards hold; else it is
 * rendered taking them, and kept when it can be. */
static NOINLINE void repr_container(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    const char *empty = empty_form(o);
    if (empty && put_whole(out, empty, 2, opts->max_chars))
        return;
    if (tp_guarded_memo_write(o, opts, out))
        return;
    tp_guard_log log;
    log.n_guards = log.n_items = 0;
    size_t start = out->len;
    if (render_guarded(o, opts, out, tp_render_value, &log) && !out->failed)
        tp_guarded_memo_keep(o, opts, &log, out->data + start, out->len - start);
}

/* The whole render machinery, for what the fast forms do not take. */
NOINLINE void tp_repr_slow(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    PyTypeObject *tp = o ? Py_TYPE(o) : NULL;
    if (tp == &PyDict_Type || tp == &PyList_Type || tp == &PyTuple_Type)
        repr_container(o, opts, out);
    else
        render_guarded(o, opts, out, tp_render_value, NULL);
}

/* One function a kind, each falling back itself: tp_repr then only
 * dispatches and jumps, without saving registers for a fallback after the
 * call (~13 instructions a value). */
NOINLINE void tp_repr_int(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (!fast_int(o, opts->max_chars, out))
        tp_repr_slow(o, opts, out);
}

/* A str the fast form does not take: its kept text, or rendered and kept. */
static NOINLINE void repr_str_kept(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (tp_str_memo_write(o, opts->max_chars, out))
        return;
    size_t start = out->len;
    render_guarded(o, opts, out, tp_render_value, NULL);
    if (!out->failed)
        tp_str_memo_keep(o, opts->max_chars, out->data + start, out->len - start);
}

NOINLINE void tp_repr_str(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (!tp_repr_fast_str(o, opts->max_chars, out))
        repr_str_kept(o, opts, out);
}

NOINLINE void tp_repr_float(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (!fast_float(o, opts->max_chars, out))
        tp_repr_slow(o, opts, out);
}

static NOINLINE void repr_word(PyObject *o, const tp_repr_opts *opts, tp_buf *out,
                               const char *word, size_t n)
{
    if (!put_whole(out, word, n, opts->max_chars))
        tp_repr_slow(o, opts, out);
}

void tp_repr(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (!o)
        tp_repr_slow(o, opts, out);
    else if (o == Py_None)
        repr_word(o, opts, out, "None", 4);
    else if (o == Py_True)
        repr_word(o, opts, out, "True", 4);
    else if (o == Py_False)
        repr_word(o, opts, out, "False", 5);
    else if (PyLong_CheckExact(o))
        tp_repr_int(o, opts, out);
    else if (PyUnicode_CheckExact(o))
        tp_repr_str(o, opts, out);
    else if (PyFloat_CheckExact(o))
        tp_repr_float(o, opts, out);
    else
        tp_repr_object(o, opts, out);
}

void tp_repr_exception(PyObject *exc, const tp_repr_opts *opts, tp_buf *out)
{
    render_guarded(exc, opts, out, tp_render_exception, NULL);
}
