/* Objects not rendered field by field in C: classes and functions (whose
 * reprs never run user code), everything else through its own __repr__ under
 * the guard, or in safe mode as <module.Class object at 0x...>. */
#include "repr_internal.h"

#include <stdint.h>
#include <string.h>

#include "app_exceptions.h"
#include "clock.h"
#include "compat/api.h"
#include "deferred_value.h"
#include "guard.h"
#include "repr_undo.h"
#include "slot_hash.h"

/* What object.__repr__ puts between the class and the address. */
static const char object_at[] = " object at ";

static void put_address(tp_sink *s, const void *p)
{
    char text[TP_ADDRESS_TEXT];
    size_t at = tp_format_address(text, p);
    tp_sink_ascii(s, text + at, TP_ADDRESS_TEXT - at);
}

/* "__module__", interned: created once (GIL held) and kept for the life of
 * the process, so the lookup hashes nothing. */
static PyObject *module_key;

static PyObject *type_module(PyTypeObject *tp)
{
    if (!module_key)
        module_key = PyUnicode_InternFromString("__module__");
    if (!module_key) {
        PyErr_Clear();
        return NULL;
    }
    return PyDict_GetItem(tp->tp_dict, module_key);
}

/* The last heap types whose path was written, with that text: most values
 * of a trace are instances of a few classes. An entry is good while the
 * type's __qualname__ is the same object and either its attribute-cache
 * version is unchanged (so is its dict, __module__ included) or its
 * __module__ is the same object. It holds references to those two strings,
 * so neither can be freed and its address reused by another, but not to
 * the type: keeping a class alive is something the app can see (a class
 * deleted still in Parent.__subclasses__(), its weakref callbacks late;
 * CPython's test_descr, test_remove_subclass). A class freed and another
 * made at its address meets its entry only through the checks above: a
 * new class gets a new version, and with the same __qualname__ and
 * __module__ objects its path is the same text. Two-way sets by the type's
 * address. The strings go when the window closes (tp_repr_forget_types).
 * Owned by the renderer; GIL held only. */
#define TYPE_PATH_SETS_LOG2 5
#define TYPE_PATH_SETS (1 << TYPE_PATH_SETS_LOG2)   /* of two entries: 64 classes */
#define TYPE_PATH_TEXT 96
/* What object.__repr__ writes before the address: "<" path OBJECT_AT. */
#define OBJECT_AT " object at 0x"
#define PREFIX_EXTRA (1 + sizeof OBJECT_AT - 1)
/* Prefixes up to this long are copied as one fixed-size move. */
#define PREFIX_FIXED_COPY 32

/* No store's gen (opts without a store have gen 0). */
#define NOT_STORED UINT64_MAX

typedef struct type_path {
    PyTypeObject *type;
    unsigned int version;    /* tp_type_version when made; 0: none */
    PyObject *module, *qualname;
    size_t len;              /* of the path, text + 1 */
    uint64_t stored_gen;     /* the prefix store (window) that holds the prefix, or NOT_STORED */
    uint32_t stored_at;      /* where in it */
    char text[TYPE_PATH_TEXT];   /* "<" path OBJECT_AT: the prefix, len + PREFIX_EXTRA */
} type_path;

/* Two ways a set, the most recently kept first: two classes whose
 * addresses share a set (a program's few hot classes do, in some memory
 * layouts) are both kept, instead of each evicting the other at every
 * object. Read and written while rendering, GIL held; the references go
 * when the window closes. */
static type_path type_paths[TYPE_PATH_SETS][2];

static type_path *type_path_set(PyTypeObject *tp)
{
    return type_paths[tp_slot_of_address(tp, TYPE_PATH_SETS_LOG2)];
}

/* tp's entry, right or stale, or NULL. */
static inline type_path *type_path_entry(PyTypeObject *tp)
{
    type_path *set = type_path_set(tp);
    return set[0].type == tp ? &set[0] : set[1].type == tp ? &set[1] : NULL;
}

/* Where tp's path goes: its own entry, an empty one, or the first after
 * the second (least recently kept) is given up, into *old. */
static type_path *type_path_place(PyTypeObject *tp, type_path *old)
{
    type_path *set = type_path_set(tp);
    type_path *e = type_path_entry(tp);
    if (!e)
        e = !set[0].type ? &set[0] : !set[1].type ? &set[1] : NULL;
    if (e) {
        *old = *e;
        return e;
    }
    *old = set[1];
    set[1] = set[0];
    return &set[0];
}

/* Remembers module.qualname when both are ASCII and short enough. */
static void remember_type_path(PyTypeObject *tp, PyObject *module, PyObject *qualname)
{
    if (!tp_str_ready(module) || !tp_str_ready(qualname) || !PyUnicode_IS_ASCII(module) ||
        !PyUnicode_IS_ASCII(qualname))
        return;
    size_t mlen = (size_t)PyUnicode_GET_LENGTH(module);
    size_t qlen = (size_t)PyUnicode_GET_LENGTH(qualname);
    if (mlen + 1 + qlen + PREFIX_EXTRA >= TYPE_PATH_TEXT)
        return;
    type_path old;
    type_path *e = type_path_place(tp, &old);
    Py_INCREF(module);
    Py_INCREF(qualname);
    e->type = tp;
    e->version = tp_type_version(tp);
    e->module = module;
    e->qualname = qualname;
    e->stored_gen = NOT_STORED;   /* a new text: objects deferred before keep the old one */
    char *path = e->text + 1;
    e->text[0] = '<';
    memcpy(path, PyUnicode_DATA(module), mlen);
    path[mlen] = '.';
    memcpy(path + mlen + 1, PyUnicode_DATA(qualname), qlen);
    e->len = mlen + 1 + qlen;
    memcpy(path + e->len, OBJECT_AT, sizeof OBJECT_AT - 1);
    if (old.type) {   /* last: freeing may run a weakref callback */
        tp_release(old.qualname);
        tp_release(old.module);
    }
}

void tp_repr_forget_types(void)
{
    for (size_t i = 0; i < TYPE_PATH_SETS; i++) {
        for (size_t way = 0; way < 2; way++) {
            type_path old = type_paths[i][way];
            type_paths[i][way].type = NULL;
            if (old.type) {   /* cleared first: freeing may run a weakref callback */
                tp_release(old.qualname);
                tp_release(old.module);
            }
        }
    }
}

/* Something in the type's dict changed: still right if __module__ is the
 * same object. The look-up can run a key's __eq__ (a dict with keys that
 * are not str), which may let another thread replace the entries: tp's
 * entry is found again after it. */
static __attribute__((noinline)) const type_path *known_after_change(PyTypeObject *tp,
                                                                     unsigned int version)
{
    PyObject *module = type_module(tp);
    type_path *known = type_path_entry(tp);
    if (!known || known->qualname != ((PyHeapTypeObject *)tp)->ht_qualname ||
        known->module != module)
        return NULL;
    known->version = version;
    /* the class may have a __repr__ now: deferring checks again */
    known->stored_gen = NOT_STORED;
    return known;
}

/* The kept path of heap type `tp`, if it is still right; NULL if not.
 * Inline: one per object rendered. */
static inline __attribute__((always_inline)) const type_path *known_type_path(PyTypeObject *tp)
{
    PyObject *qualname = ((PyHeapTypeObject *)tp)->ht_qualname;
    type_path *known = type_path_entry(tp);
    if (!known || known->qualname != qualname)
        return NULL;
    unsigned int version = tp_type_version(tp);
    /* An unchanged version: the dict, so __module__, is as it was. */
    if (version && known->version == version)
        return known;
    return known_after_change(tp, version);
}

/* The name Python's object_repr and type_repr show: module.qualname, or
 * tp_name when the module is builtins or unknown. The module is read from
 * the type's own dict and the qualname from the type struct, so no
 * metaclass property or __getattr__ runs. */
static void put_type_path(tp_render *r, PyTypeObject *tp)
{
    if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE) || !tp->tp_dict) {
        tp_sink_cstr(&r->sink, tp->tp_name);   /* static types: "module.Name" already */
        return;
    }
    const type_path *known = known_type_path(tp);
    if (known) {
        tp_sink_ascii(&r->sink, known->text + 1, known->len);
        return;
    }
    PyObject *qualname = ((PyHeapTypeObject *)tp)->ht_qualname;
    PyObject *module = type_module(tp);
    if (!module || !PyUnicode_Check(module) || !qualname || !PyUnicode_Check(qualname) ||
        PyUnicode_CompareWithASCIIString(module, "builtins") == 0) {
        tp_sink_cstr(&r->sink, tp->tp_name);
        return;
    }
    tp_render_text(r, module);
    tp_sink_ascii(&r->sink, ".", 1);
    tp_render_text(r, qualname);
    remember_type_path(tp, module, qualname);
}

void tp_render_type_name(tp_render *r, PyTypeObject *tp)
{
    if ((tp->tp_flags & Py_TPFLAGS_HEAPTYPE) && ((PyHeapTypeObject *)tp)->ht_name &&
        PyUnicode_Check(((PyHeapTypeObject *)tp)->ht_name)) {
        tp_render_text(r, ((PyHeapTypeObject *)tp)->ht_name);
        return;
    }
    const char *dot = strrchr(tp->tp_name, '.');
    tp_sink_cstr(&r->sink, dot ? dot + 1 : tp->tp_name);
}

void tp_render_class(tp_render *r, PyTypeObject *tp)
{
    tp_sink_cstr(&r->sink, "<class '");
    put_type_path(r, tp);
    tp_sink_cstr(&r->sink, "'>");
}

void tp_render_function(tp_render *r, PyObject *f)
{
    PyObject *qualname = ((PyFunctionObject *)f)->func_qualname;
    tp_sink_cstr(&r->sink, "<function ");
    if (qualname && PyUnicode_Check(qualname))
        tp_render_text(r, qualname);
    tp_sink_cstr(&r->sink, " at ");
    put_address(&r->sink, f);
    tp_sink_ascii(&r->sink, ">", 1);
}

static bool is_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s >= 0x80)
            return false;
    }
    return true;
}

/* What the C function type's repr prints (the same on every version we
 * build for), without formatting a Python string: names that are not ASCII
 * go to that repr, as the sink counts these bytes as code points. */
void tp_render_builtin(tp_render *r, PyObject *f)
{
    const char *name = ((PyCFunctionObject *)f)->m_ml->ml_name;
    PyObject *self = ((PyCFunctionObject *)f)->m_self;
    const char *of = self ? Py_TYPE(self)->tp_name : NULL;
    if (!is_ascii(name) || (of && !is_ascii(of))) {
        tp_render_unknown(r, f);
        return;
    }
    if (!self || PyModule_Check(self)) {
        tp_sink_cstr(&r->sink, "<built-in function ");
        tp_sink_cstr(&r->sink, name);
        tp_sink_ascii(&r->sink, ">", 1);
        return;
    }
    tp_sink_cstr(&r->sink, "<built-in method ");
    tp_sink_cstr(&r->sink, name);
    tp_sink_cstr(&r->sink, " of ");
    tp_sink_cstr(&r->sink, of);
    tp_sink_ascii(&r->sink, object_at, sizeof object_at - 1);
    put_address(&r->sink, self);
    tp_sink_ascii(&r->sink, ">", 1);
}

static void render_safe(tp_render *r, PyObject *o)
{
    tp_sink_ascii(&r->sink, "<", 1);
    put_type_path(r, Py_TYPE(o));
    tp_sink_ascii(&r->sink, object_at, sizeof object_at - 1);
    put_address(&r->sink, o);
    tp_sink_ascii(&r->sink, ">", 1);
}

/* object.__repr__ writes a static type's tp_name whole: its module part
 * (before the last dot) and its name (after it), or just tp_name when the
 * module is builtins. */
static bool fast_static_object(PyObject *o, size_t max_chars, tp_buf *out)
{
    const char *path = Py_TYPE(o)->tp_name;
    size_t len = strlen(path);   /* bytes: at least its code points, so never too few */
    char address[TP_ADDRESS_TEXT];
    size_t at = tp_format_address(address, o);
    size_t n = 1 + len + (sizeof object_at - 1) + (TP_ADDRESS_TEXT - at) + 1;
    if (max_chars && n > max_chars)
        return false;
    tp_buf_putc(out, '<');
    tp_buf_append(out, path, len);
    tp_buf_append(out, object_at, sizeof object_at - 1);
    tp_buf_append(out, address + at, TP_ADDRESS_TEXT - at);
    tp_buf_putc(out, '>');
    return true;
}

/* The fast form's text for an instance of a kept class, as the safe form
 * writes it (the same bytes). False, having written nothing, when it
 * would be cut or the buffer lacks room for it and the fixed-size copy's
 * slack: the caller then takes the long way. */
static inline __attribute__((always_inline)) bool put_known_object(const type_path *known,
                                                                   PyObject *o,
                                                                   size_t max_chars, tp_buf *out)
{
    char address[TP_ADDRESS_TEXT];
    size_t at = tp_format_address(address, o) + 2;   /* the digits: the prefix has "0x" */
    size_t prefix = known->len + PREFIX_EXTRA, digits = TP_ADDRESS_TEXT - at;
    size_t n = prefix + digits + 1;
    if ((max_chars && n > max_chars) || out->len + n + PREFIX_FIXED_COPY >= out->cap)
        return false;
    char *d = out->data + out->len;
    if (prefix <= PREFIX_FIXED_COPY)   /* "<workloads.Vec object at 0x": one move */
        memcpy(d, known->text, PREFIX_FIXED_COPY);
    else
        memcpy(d, known->text, prefix);
    d += prefix;
    tp_copy_small(d, address + at, digits);   /* 1..16 */
    d[digits] = '>';
    d[digits + 1] = '\0';
    out->len += n;
    return true;
}

/* Room enough for any fast form with its slack. */
#define OBJECT_TEXT_ROOM (TYPE_PATH_TEXT + TP_ADDRESS_TEXT + 2 + PREFIX_FIXED_COPY)

/* An object printed by object.__repr__ written here, if it can be: its
 * class static, or its path kept now. */
static bool object_at_once(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    PyTypeObject *tp = Py_TYPE(o);
    if (tp->tp_repr != PyBaseObject_Type.tp_repr)
        return false;
    if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE))
        return fast_static_object(o, opts->max_chars, out);
    const type_path *known = tp->tp_dict ? known_type_path(tp) : NULL;
    return known && tp_buf_reserve(out, OBJECT_TEXT_ROOM) &&
           put_known_object(known, o, opts->max_chars, out);
}

/* Everything but the common case, from the start: a static type, a class
 * whose dict changed or whose path is not kept yet, a buffer to grow, a
 * text to cut, an object with a repr of its own. Every rendering that may
 * run the app's code (a __repr__, a container's items, a class's
 * __module__ looked up) comes through here, so `o` is held here: the
 * recorder passes arguments borrowed from their frame, whose local that
 * code can rebind (frame.f_locals writes through on 3.13). The kinds
 * rendered before this point (exact ints, strs and floats, None, bools,
 * instances of kept classes) run none. */
static __attribute__((noinline)) void object_other(PyObject *o, const tp_repr_opts *opts,
                                                   tp_buf *out)
{
    Py_INCREF(o);
    if (!object_at_once(o, opts, out))
        tp_repr_slow(o, opts, out);
    Py_DECREF(o);
}

/* The kept entry of o's class when o prints with object.__repr__ and the
 * entry is right by the quick test (the same qualname, an unchanged
 * attribute-cache version); NULL for everything else. */
static inline __attribute__((always_inline)) type_path *known_at_a_glance(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    type_path *known = type_path_entry(tp);
    unsigned int version = tp_type_version(tp);
    if (tp->tp_repr == PyBaseObject_Type.tp_repr && (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) &&
        known && known->qualname == ((PyHeapTypeObject *)tp)->ht_qualname && version &&
        known->version == version)
        return known;
    return NULL;
}

/* The common case makes no call but the last: it saves no registers. */
void tp_repr_object(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    const type_path *known = known_at_a_glance(o);
    if (known && put_known_object(known, o, opts->max_chars, out))
        return;
    object_other(o, opts, out);
}

void tp_repr_safe_form(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    tp_repr_opts safe = *opts;
    safe.safe = true;
    tp_repr(o, &safe, out);
}

/* Room for the longest address and the ">" after the prefix. */
#define ADDRESS_AND_END (16 + 1)

/* Copies the entry's prefix, with its NUL, into the window's store, once
 * per window, when max_repr cannot cut an object's text: objects deferred
 * later point at it. */
static bool store_prefix(type_path *known, const tp_repr_opts *opts)
{
    tp_buf *store = opts->object_prefixes;
    size_t prefix = known->len + PREFIX_EXTRA;
    if ((opts->max_chars && prefix + ADDRESS_AND_END > opts->max_chars) ||
        store->len > UINT32_MAX - TYPE_PATH_TEXT)
        return false;
    size_t at = store->len;
    tp_buf_append(store, known->text, prefix);
    tp_buf_append(store, "", 1);
    if (store->failed)
        return false;
    if (opts->object_prefixes_account)
        *opts->object_prefixes_account += prefix + 1;
    known->stored_gen = opts->object_prefixes_gen;
    known->stored_at = (uint32_t)at;
    return true;
}

/* The first object of a kept class in this window, and everything that is
 * not deferred: containers, other objects, a text max_repr cuts. */
static __attribute__((noinline)) void object_deferred_other(PyObject *o,
                                                            const tp_repr_opts *opts,
                                                            tp_buf *out)
{
    type_path *known = known_at_a_glance(o);
    if (known) {
        if (opts->object_prefixes && store_prefix(known, opts)) {
            tp_defer_object(o, known->stored_at, out);
            return;
        }
        if (put_known_object(known, o, opts->max_chars, out))
            return;
    }
    object_other(o, opts, out);
}

/* The entry says whether its prefix is in this window's store, which it
 * holds only if, when it was stored, the class printed its instances with
 * object.__repr__ (a heap type, as all entries are) and max_repr could not
 * cut them. Its version has not changed since (a new version goes through
 * known_after_change or a new entry, which both forget the store), so
 * neither has the class's __repr__. Setting __qualname__ from Python gives
 * a new version too, but C code can set it without one: it is compared. */
void tp_repr_object_deferred(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    PyTypeObject *tp = Py_TYPE(o);
    type_path *known = type_path_entry(tp);
    if (!known) {   /* containers, static types, classes not kept yet */
        object_other(o, opts, out);
        return;
    }
    if (known->stored_gen == opts->object_prefixes_gen &&
        known->qualname == ((PyHeapTypeObject *)tp)->ht_qualname &&
        known->version == tp_type_version(tp)) {
        tp_defer_object(o, known->stored_at, out);
        return;
    }
    object_deferred_other(o, opts, out);
}

void tp_render_failure(tp_render *r, const char *what)
{
    tp_errstate e;
    tp_err_save(&e);
    PyTypeObject *type = tp_err_type(&e);
    if (type)
        Py_INCREF(type);   /* named below; raising it later gives `e` away */
    if (type && tp_app_exception_is_apps(&e) && !tp_app_exception_raise_later(&e) &&
        PyType_IsSubtype(type, (PyTypeObject *)PyExc_KeyboardInterrupt))
        PyErr_SetInterrupt();   /* off the main thread: Ctrl-C simulated again */
    tp_sink_ascii(&r->sink, "<", 1);
    tp_sink_cstr(&r->sink, what);
    tp_sink_cstr(&r->sink, " failed: ");
    if (type)
        tp_render_type_name(r, type);
    else
        tp_sink_cstr(&r->sink, "unknown error");
    tp_sink_ascii(&r->sink, ">", 1);
    if (type)
        tp_release((PyObject *)type);
    tp_error_discard(&e);
}

/* Tells Python's repr machinery about the containers we are inside, so a
 * user __repr__ that reprs one of them gets [...] as in Python. */
static void announce_active_containers(tp_render *r)
{
    for (tp_active *a = r->innermost; a; a = a->outer) {
        int status = Py_ReprEnter(a->container);
        if (status < 0)
            PyErr_Clear();
        a->python_knows = status == 0;
    }
}

static void withdraw_active_containers(tp_render *r)
{
    for (tp_active *a = r->innermost; a; a = a->outer) {
        if (a->python_knows)
            Py_ReprLeave(a->container);
        a->python_knows = false;
    }
}

/* module.qualname of a class, as object.__repr__ names it, cut to fit. */
static void class_path_text(PyTypeObject *tp, char *out, size_t size)
{
    tp_buf buf = TP_BUF_INIT;
    tp_render r = {.opts = NULL};
    tp_sink_init(&r.sink, &buf, size - 1);
    put_type_path(&r, tp);
    size_t n = buf.failed ? 0 : buf.len < size ? buf.len : size - 1;
    while (n < buf.len && n > 0 && ((unsigned char)buf.data[n] & 0xC0) == 0x80)
        n--;   /* not inside a character */
    if (n)
        memcpy(out, buf.data, n);
    out[n] = '\0';
    tp_buf_free(&buf);
}

static void render_with_user_repr(tp_render *r, PyObject *o)
{
    announce_active_containers(r);
    PyTypeObject *tp = Py_TYPE(o);
    Py_INCREF(tp);   /* the __repr__ may change o's class, and its class be freed */
    uint64_t began = r->opts->budget ? tp_ticks() : 0;
    tp_repr_undo undo;
    tp_guard_enter();
    tp_repr_undo_note(&undo, o);
    PyObject *text = PyObject_Repr(o);   /* a non-str result raises TypeError */
    tp_repr_undo_apply(&undo);   /* what it cached on o is not the app's */
    tp_guard_exit();
    if (r->opts->budget) {
        uint64_t ended = tp_ticks();
        r->opts->budget->app_repr_ended = ended;
        tp_repr_budget_charge(r->opts->budget, tp, ended - began, class_path_text);
    }
    tp_release((PyObject *)tp);
    if (text) {
        tp_render_text(r, text);
        tp_release(text);
    } else {
        tp_render_failure(r, "repr");
    }
    withdraw_active_containers(r);
}

void tp_render_unknown(tp_render *r, PyObject *o)
{
    /* A type that keeps object.__repr__ gets exactly what the safe form
     * writes, without formatting a Python string for it. */
    if (r->opts->safe || Py_TYPE(o)->tp_repr == PyBaseObject_Type.tp_repr ||
        tp_repr_budget_spent(r->opts->budget, Py_TYPE(o)))
        render_safe(r, o);
    else
        render_with_user_repr(r, o);
}

void tp_release_last(PyObject *o)
{
    tp_guard_enter();
    Py_DECREF(o);
    tp_guard_exit();
}
