#include "codemeta.h"

#include <stdlib.h>
#include <string.h>

#include "compat/stmt_starts.h"
#include "repr.h"
#include "text_pool.h"

/* A str as UTF-8, in the table's pool; surrogate escapes (a file name
 * that is not UTF-8) come out as their original bytes, which the JSON
 * writer shows as U+FFFD. */
static char *utf8_dup(tp_text_pool *pool, PyObject *s, const char *fallback)
{
    if (!s || !PyUnicode_Check(s))
        return tp_pool_strdup(pool, fallback);
    Py_ssize_t size;
    const char *u = PyUnicode_AsUTF8AndSize(s, &size);
    if (u)
        return tp_pool_strndup(pool, u, (size_t)size);
    PyErr_Clear();
    PyObject *bytes = PyUnicode_AsEncodedString(s, "utf-8", "surrogateescape");
    if (!bytes) {
        PyErr_Clear();
        bytes = PyUnicode_AsEncodedString(s, "utf-8", "replace");
    }
    char *copy = bytes ? tp_pool_strdup(pool, PyBytes_AS_STRING(bytes))
                       : tp_pool_strdup(pool, fallback);
    Py_XDECREF(bytes);
    PyErr_Clear();
    return copy;
}

static bool grow_slots(tp_code_table *t)
{
    uint32_t size = t->slots ? (t->mask + 1) * 2 : 256;
    tp_code_slot *slots = calloc(size, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t i = 0; i < t->n; i++)
        tp_code_slot_put(slots, size - 1, t->metas[i].key, i);
    free(t->slots);
    t->slots = slots;
    t->mask = size - 1;
    return true;
}

static enum tp_kind kind_of(const PyCodeObject *co)
{
    if (co->co_flags & CO_ASYNC_GENERATOR)
        return TP_KIND_ASYNC_GENERATOR;
    if (co->co_flags & (CO_COROUTINE | CO_ITERABLE_COROUTINE))
        return TP_KIND_COROUTINE;
    if (co->co_flags & CO_GENERATOR)
        return TP_KIND_GENERATOR;
    return TP_KIND_FUNCTION;
}

/* The key is made once a window: PyDict_GetItemString makes (and hashes)
 * a new str at each call, ~800 instructions. */
static char *module_of(tp_code_table *t, tp_iframe frame)
{
    PyObject *globals = frame ? tp_iframe_globals(frame) : NULL;
    PyObject *name = NULL;
    if (!t->name_key) {
        t->name_key = PyUnicode_InternFromString("__name__");
        if (!t->name_key)
            PyErr_Clear();   /* out of memory: "<unknown>" */
    }
    if (globals && PyDict_Check(globals) && t->name_key)
        name = PyDict_GetItem(globals, t->name_key); /* borrowed, no user code */
    return utf8_dup(&t->pool, name, "<unknown>");
}

/* Whether `attr`, found in a class namespace, is the function running `co`
 * (plain, or wrapped by staticmethod/classmethod). */
static bool defines_code(PyObject *attr, PyCodeObject *co)
{
    if (PyFunction_Check(attr))
        return PyFunction_GET_CODE(attr) == (PyObject *)co;
    if (Py_TYPE(attr) != &PyStaticMethod_Type && Py_TYPE(attr) != &PyClassMethod_Type)
        return false;
    PyObject *fn = PyObject_GetAttrString(attr, "__func__");
    bool same = fn && PyFunction_Check(fn) && PyFunction_GET_CODE(fn) == (PyObject *)co;
    Py_XDECREF(fn);
    PyErr_Clear();
    return same;
}

static const char *class_qualname(PyTypeObject *cls)
{
    if (cls->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        const char *q = PyUnicode_AsUTF8(((PyHeapTypeObject *)cls)->ht_qualname);
        if (q)
            return q;
        PyErr_Clear();
    }
    return cls->tp_name;
}

/* Whether `cls`'s namespace defines `co`. A namespace with a key that is
 * not a str can run that key's __eq__ in the look-up, which could drop
 * the class or its attribute: the caller holds `cls`, and the attribute
 * is held here. */
static bool class_defines(PyTypeObject *cls, PyCodeObject *co)
{
    PyObject *attr = cls->tp_dict ? PyDict_GetItem(cls->tp_dict, co->co_name) : NULL;
    Py_XINCREF(attr);
    bool defines = attr && defines_code(attr, co);
    Py_XDECREF(attr);
    return defines;
}

/* The class among `mro` (a tuple) whose namespace defines `co`, as a new
 * reference. */
static PyTypeObject *defining_class(PyObject *mro, PyCodeObject *co)
{
    PyTypeObject *found = NULL;
    Py_XINCREF(mro);
    for (Py_ssize_t i = 0; mro && !found && i < PyTuple_GET_SIZE(mro); i++) {
        PyTypeObject *cls = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        Py_INCREF(cls);
        if (class_defines(cls, co))
            found = cls;
        else
            Py_DECREF(cls);
    }
    Py_XDECREF(mro);
    return found;
}

/* The receiver's class for a method (first parameter `self` or `cls`). */
static PyObject *receiver_mro(PyCodeObject *co, tp_iframe frame)
{
    if (co->co_argcount == 0 || !frame)
        return NULL;
    const char *first = PyUnicode_AsUTF8(tp_param_name(co, 0));
    PyObject *arg0 = tp_iframe_local(frame, 0);
    if (!first || !arg0) {
        PyErr_Clear();
        return NULL;
    }
    if (strcmp(first, "self") == 0)
        return Py_TYPE(arg0)->tp_mro;
    if (strcmp(first, "cls") == 0 && PyType_Check(arg0))
        return ((PyTypeObject *)arg0)->tp_mro;
    return NULL;
}

/* A class defined at the top of the function's module that defines it
 * (static methods, methods called without a receiver), as a new
 * reference. */
static PyTypeObject *module_class(PyCodeObject *co, tp_iframe frame)
{
    PyObject *globals = frame ? tp_iframe_globals(frame) : NULL;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (globals && PyDict_Check(globals) && PyDict_Next(globals, &pos, &key, &value)) {
        if (!PyType_Check(value))
            continue;
        PyTypeObject *cls = (PyTypeObject *)value;
        Py_INCREF(cls);   /* as in defining_class: a new reference */
        if (class_defines(cls, co))
            return cls;
        Py_DECREF(cls);
    }
    return NULL;
}

/* A function defined at the top of its module is found there under its
 * name: no class to look for. */
static bool module_level(PyCodeObject *co, tp_iframe frame)
{
    PyObject *globals = frame ? tp_iframe_globals(frame) : NULL;
    PyObject *fn = globals && PyDict_Check(globals) ? PyDict_GetItem(globals, co->co_name) : NULL;
    return fn && PyFunction_Check(fn) && PyFunction_GET_CODE(fn) == (PyObject *)co;
}

/* No class attribute is named like a lambda or a comprehension. */
static bool anonymous(const char *name)
{
    return name[0] == '<';
}

/* "a.b" in the pool. */
static char *joined(tp_text_pool *pool, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *out = tp_pool_alloc(pool, na + nb + 2);
    if (out) {
        memcpy(out, a, na);
        out[na] = '.';
        memcpy(out + na + 1, b, nb + 1);
    }
    return out;
}

/* The code's own qualified name; before 3.11 code objects have none, so
 * find the class that defines this code, reading class namespaces only
 * (no user code). */
static char *qualname_of(tp_text_pool *pool, PyCodeObject *co, tp_iframe frame)
{
    if (tp_code_qualname(co))
        return utf8_dup(pool, tp_code_qualname(co), "?");
    const char *name = PyUnicode_AsUTF8(co->co_name);
    if (!name) {
        PyErr_Clear();
        return tp_pool_strdup(pool, "?");
    }
    PyTypeObject *cls = defining_class(receiver_mro(co, frame), co);
    /* Before 3.11 a code has no qualname: the module's classes are
     * searched for its method, which costs a lookup a global. */
    if (!cls && !anonymous(name) && !module_level(co, frame))
        cls = module_class(co, frame);
    char *qualname = cls ? joined(pool, class_qualname(cls), name) : tp_pool_strdup(pool, name);
    Py_XDECREF(cls);
    return qualname;
}

/* Parameters in signature order: positional, *args, keyword-only,
 * **kwargs. In the locals they are laid out positional, keyword-only,
 * *args, **kwargs. The local slot of the i-th, and its stars. */
static uint16_t param_slot(const PyCodeObject *co, int i, const char **stars)
{
    int npos = co->co_argcount, nkw = co->co_kwonlyargcount;
    int varargs = (co->co_flags & CO_VARARGS) != 0;
    *stars = "";
    if (i < npos)
        return (uint16_t)i;
    if (varargs && i == npos) {
        *stars = "*";
        return (uint16_t)(npos + nkw);
    }
    if (i < npos + varargs + nkw)
        return (uint16_t)(i - varargs);
    *stars = "**";
    return (uint16_t)(npos + nkw + varargs);
}

static const char *param_name(PyCodeObject *co, uint16_t slot)
{
    const char *raw = PyUnicode_AsUTF8(tp_param_name(co, slot));
    if (!raw) {
        PyErr_Clear();
        raw = "?";
    }
    return raw;
}

/* What a call's argument list writes before the i-th value: separator,
 * stars, name, '='. Returns its length; writes it too when `out`. */
static size_t param_prefix(char *out, int i, const char *stars, const char *name)
{
    const char *sep = i ? ", " : "";
    size_t a = strlen(sep), b = strlen(stars), c = strlen(name);
    if (out) {
        memcpy(out, sep, a);
        memcpy(out + a, stars, b);
        memcpy(out + a + b, name, c);
        out[a + b + c] = '=';
    }
    return a + b + c + 1;
}

/* One allocation holds a code's parameter tables and their prefixes, in
 * this order (widest first, so each part is aligned): prefix pointers,
 * slots, prefix lengths, how each is shown, prefix texts. Meeting a code
 * object (once per window) is mostly this. */
static bool alloc_params(tp_text_pool *pool, tp_code_meta *m, size_t text_bytes)
{
    size_t n = m->n_params;
    char *block = tp_pool_alloc(pool, n * (sizeof(char *) + 2 * sizeof(uint16_t) + sizeof(uint8_t)) + text_bytes);
    if (!block)
        return false;
    m->param_prefix = (char **)block;
    m->param_slots = (uint16_t *)(block + n * sizeof(char *));
    m->param_prefix_len = m->param_slots + n;
    m->param_shown = (uint8_t *)(m->param_prefix_len + n);
    m->param_prefix[0] = (char *)(m->param_shown + n);
    return true;
}

/* Where a prefix of `len` bytes keeps its place in the block: short ones
 * take TP_BUF_PADDED bytes, NUL-padded (tp_buf_append_padded); longer
 * ones their length and a NUL. */
static size_t prefix_room(size_t len)
{
    return len < TP_BUF_PADDED ? TP_BUF_PADDED : len + 1;
}

/* Whether co sets up the object its first parameter is: __init__, and
 * __setstate__ (unpickling, copy). */
static bool sets_up_first_param(PyCodeObject *co)
{
    return co->co_argcount > 0 &&
           (PyUnicode_CompareWithASCIIString(co->co_name, "__init__") == 0 ||
            PyUnicode_CompareWithASCIIString(co->co_name, "__setstate__") == 0);
}

/* A parameter's name is a str of the code object: whether it is redacted
 * comes from the window's kept key texts (names repeat: self, name, key...). */
static uint8_t param_shown(const tp_code_table *t, PyCodeObject *co, int i, uint16_t slot)
{
    if (tp_repr_name_is_redacted(tp_param_name(co, slot), t->words))
        return TP_PARAM_REDACTED;
    return i == 0 && sets_up_first_param(co) ? TP_PARAM_UNREADY : TP_PARAM_VALUE;
}

static bool read_params(tp_code_table *t, tp_code_meta *m, PyCodeObject *co)
{
    bool varargs = co->co_flags & CO_VARARGS, varkw = co->co_flags & CO_VARKEYWORDS;
    int n = co->co_argcount + co->co_kwonlyargcount + varargs + varkw;
    m->n_params = (uint16_t)n;
    if (n == 0)
        return true;
    const char *stars;
    size_t text_bytes = 0;
    for (int i = 0; i < n; i++) {
        uint16_t slot = param_slot(co, i, &stars);
        size_t len = param_prefix(NULL, i, stars, param_name(co, slot));
        if (len > UINT16_MAX)
            return false;
        text_bytes += prefix_room(len);
    }
    if (!alloc_params(&t->pool, m, text_bytes))
        return false;
    memset(m->param_prefix[0], 0, text_bytes);
    for (int i = 0; i < n; i++) {
        uint16_t slot = param_slot(co, i, &stars);
        const char *name = param_name(co, slot);
        if (i > 0)
            m->param_prefix[i] = m->param_prefix[i - 1] + prefix_room(m->param_prefix_len[i - 1]);
        m->param_slots[i] = slot;
        m->param_prefix_len[i] = (uint16_t)param_prefix(m->param_prefix[i], i, stars, name);
        m->param_shown[i] = param_shown(t, co, i, slot);
    }
    return true;
}

/* "module:qualname" is one of line_functions. */
static bool wants_lines(const tp_code_meta *m, const tp_config *cfg)
{
    size_t mlen = strlen(m->module);
    for (size_t i = 0; i < cfg->line_functions.n; i++) {
        const char *want = cfg->line_functions.items[i];
        if (strncmp(want, m->module, mlen) == 0 && want[mlen] == ':' &&
            strcmp(want + mlen + 1, m->qualname) == 0)
            return true;
    }
    return false;
}

static bool is_comprehension(PyCodeObject *co)
{
    static const char *const names[] = {"<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (PyUnicode_CompareWithASCIIString(co->co_name, names[i]) == 0)
            return true;
    return false;
}

/* Remembers the comprehensions a line-mode function contains: their
 * iterations are steps of the function's own lines. */
static void note_line_children(tp_code_table *t, PyCodeObject *co)
{
    PyObject *consts = co->co_consts;
    for (Py_ssize_t i = 0; consts && i < PyTuple_GET_SIZE(consts); i++) {
        PyObject *c = PyTuple_GET_ITEM(consts, i);
        if (!PyCode_Check(c) || !is_comprehension((PyCodeObject *)c))
            continue;
        if (t->n_line_children == t->cap_line_children) {
            uint32_t cap = t->cap_line_children ? t->cap_line_children * 2 : 8;
            const void **p = realloc(t->line_children, cap * sizeof *p);
            if (!p)
                return;
            t->line_children = p;
            t->cap_line_children = cap;
        }
        t->line_children[t->n_line_children++] = c;
    }
}

static bool is_line_child(const tp_code_table *t, const void *code)
{
    for (uint32_t i = 0; i < t->n_line_children; i++)
        if (t->line_children[i] == code)
            return true;
    return false;
}

/* The names of the plain local variables, for line mode. */
static bool read_locals(tp_text_pool *pool, tp_code_meta *m, PyCodeObject *co)
{
    int n = co->co_nlocals;
    if (n <= 0)
        return true;
    m->n_locals = (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
    m->local_names = tp_pool_alloc(pool, m->n_locals * sizeof *m->local_names);
    if (!m->local_names)
        return false;
    for (int i = 0; i < m->n_locals; i++) {
        m->local_names[i] = utf8_dup(pool, tp_param_name(co, i), "?");
        if (!m->local_names[i])
            return false;
    }
    return true;
}

/* The rest is in the pool, freed with the table (a failed fill leaves its
 * bytes there until then). */
static void meta_free(tp_code_meta *m)
{
    free(m->stmts);
}

static bool fill_meta(tp_code_table *t, tp_code_meta *m, PyCodeObject *code, tp_iframe frame,
                      const tp_config *cfg)
{
    memset(m, 0, sizeof *m);
    m->name = utf8_dup(&t->pool, code->co_name, "?");
    m->qualname = qualname_of(&t->pool, code, frame);
    m->module = module_of(t, frame);
    m->file = utf8_dup(&t->pool, code->co_filename, "?");
    m->lineno = code->co_firstlineno;
    m->kind = (uint8_t)kind_of(code);
    if (!m->name || !m->qualname || !m->module || !m->file || !read_params(t, m, code)) {
        meta_free(m);
        return false;
    }
    m->ignored = tp_module_matches(&cfg->ignore_modules, m->module) ||
                 (cfg->include_modules.n > 0 && !tp_module_matches(&cfg->include_modules, m->module));
    m->line_mode = cfg->line_functions.n > 0 && wants_lines(m, cfg);
    /* With line mode on, a comprehension's lines are its caller's: found
     * on the shadow stack, where every call must then be. */
    m->off_stack = m->kind == TP_KIND_FUNCTION && cfg->line_functions.n == 0;
    if (m->line_mode && !read_locals(&t->pool, m, code)) {
        meta_free(m);
        return false;
    }
    Py_INCREF(code);
    m->code = (PyObject *)code;
    return true;
}

/* At most a quarter full: every call looks its code up, and longer
 * clusters mean more keys off their home slot (16 bytes a slot; 1000
 * functions, 64 KiB). */
static bool make_room(tp_code_table *t)
{
    if ((t->n + 1) * 4 > (t->slots ? t->mask + 1 : 0) && !grow_slots(t))
        return false;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 128;
        tp_code_meta *metas = realloc(t->metas, cap * sizeof *metas);
        if (!metas)
            return false;
        t->metas = metas;
        t->cap = cap;
    }
    return true;
}

static uint32_t insert(tp_code_table *t, const void *key)
{
    tp_code_slot_put(t->slots, t->mask, key, t->n);
    t->metas[t->n].key = key;
    return t->n++;
}

/* Line mode: the statement starts of its multi-statement lines. Only once
 * the metadata is in the table: finding them runs Python code, which can
 * let another thread run and add code objects (moving `metas`), or meet
 * this same code object (which must then be found, not made twice). */
static void find_statements(tp_code_table *t, uint32_t index, PyCodeObject *code)
{
    tp_stmt *stmts = NULL;
    uint32_t n = tp_stmt_starts(code, &stmts);
    t->metas[index].stmts = stmts;
    t->metas[index].n_stmts = n;
}

/* Found again after a fill: reading a module's name can run the app's
 * code (a key's __eq__ in its globals or a class's dict), which may let
 * another thread add code objects, this one among them, and move the
 * array. So each fill is made aside, then stored. */
static bool added_meanwhile(tp_code_table *t, const void *key, tp_code_meta *m, uint32_t *found)
{
    *found = tp_code_lookup_key(t, key);
    if (*found == TP_CODE_NONE && make_room(t))
        return false;
    Py_DECREF(m->code);   /* a frame or a call holds it too */
    meta_free(m);
    return true;
}

uint32_t tp_code_create(tp_code_table *t, PyCodeObject *code, tp_iframe frame, const tp_config *cfg)
{
    tp_code_meta filled;
    uint32_t found;
    if (!fill_meta(t, &filled, code, frame, cfg))
        return TP_CODE_NONE;
    if (added_meanwhile(t, code, &filled, &found))
        return found;
    tp_code_meta *m = &t->metas[t->n];
    *m = filled;
    bool line_mode = m->line_mode;
    if (line_mode)
        note_line_children(t, code);
    m->line_child = is_line_child(t, code);
    uint32_t index = insert(t, code);
    if (line_mode)
        find_statements(t, index, code);
    return index;
}

/* ---- C functions ---- */

const void *tp_builtin_key(PyObject *callable)
{
    if (PyCFunction_Check(callable))
        return ((PyCFunctionObject *)callable)->m_ml;
    if (Py_TYPE(callable) == &PyMethodDescr_Type)
        return ((PyMethodDescrObject *)callable)->d_method;
    return NULL;
}

/* "pkg.Type" -> module "pkg", short name "Type"; no dot: builtins. */
static void split_type_name(tp_text_pool *pool, const char *tp_name, char **module,
                            const char **short_name)
{
    const char *dot = strrchr(tp_name, '.');
    *module = dot ? tp_pool_strndup(pool, tp_name, (size_t)(dot - tp_name))
                  : tp_pool_strdup(pool, "builtins");
    *short_name = dot ? dot + 1 : tp_name;
}

static bool fill_builtin(tp_text_pool *pool, tp_code_meta *m, PyObject *callable,
                         const char *name)
{
    PyTypeObject *owner = NULL;
    PyObject *self = NULL;
    if (PyCFunction_Check(callable))
        self = ((PyCFunctionObject *)callable)->m_self;
    else
        owner = ((PyMethodDescrObject *)callable)->d_common.d_type;
    if (self && !PyModule_Check(self))
        owner = Py_TYPE(self);
    if (owner && (owner->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
        /* A Python class: its own __module__ and __qualname__. */
        PyObject *mod = owner->tp_dict ? PyDict_GetItemString(owner->tp_dict, "__module__") : NULL;
        PyErr_Clear();
        m->module = utf8_dup(pool, mod, "?");
        m->qualname = joined(pool, class_qualname(owner), name);
    } else if (owner) {
        const char *short_name;
        split_type_name(pool, owner->tp_name, &m->module, &short_name);
        m->qualname = joined(pool, short_name, name);
    } else {
        const char *mod = self ? PyModule_GetName(self) : NULL;
        if (!mod)
            PyErr_Clear();
        m->module = tp_pool_strdup(pool, mod ? mod : "builtins");
        m->qualname = tp_pool_strdup(pool, name);
    }
    m->name = tp_pool_strdup(pool, name);
    m->file = tp_pool_strdup(pool, "<built-in>");
    return m->name && m->qualname && m->module && m->file;
}

uint32_t tp_code_lookup_builtin(tp_code_table *t, const void *key, PyObject *callable,
                                const tp_config *cfg)
{
    uint32_t found = tp_code_lookup_key(t, key);
    if (found != TP_CODE_NONE)
        return found;
    tp_code_meta m;
    memset(&m, 0, sizeof m);
    m.kind = TP_KIND_BUILTIN;
    const char *name = ((const PyMethodDef *)key)->ml_name;
    if (!fill_builtin(&t->pool, &m, callable, name ? name : "?")) {
        meta_free(&m);
        return TP_CODE_NONE;
    }
    m.ignored = tp_module_matches(&cfg->ignore_modules, m.module) ||
                (cfg->include_modules.n > 0 && !tp_module_matches(&cfg->include_modules, m.module));
    Py_INCREF(callable);
    m.code = callable;
    if (added_meanwhile(t, key, &m, &found))
        return found;
    t->metas[t->n] = m;
    return insert(t, key);
}

void tp_code_table_release(tp_code_table *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        Py_CLEAR(t->metas[i].code);
    Py_CLEAR(t->name_key);
    free(t->slots);
    t->slots = NULL;
    t->mask = 0;
}

void tp_code_table_free(tp_code_table *t)
{
    free(t->line_children);
    for (uint32_t i = 0; i < t->n; i++)
        meta_free(&t->metas[i]);
    free(t->metas);
    free(t->slots);
    tp_pool_free(&t->pool);
    memset(t, 0, sizeof *t);
}
