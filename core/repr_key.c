/* A dict's str keys, kept by their text (repr_key.h): the misses. */
#include "repr_key.h"

tp_key_text tp_key_texts[1 << TP_KEY_TEXTS_LOG2];

/* A key that prints as its bytes, of a size kept, with its hash and a
 * named set of redaction words: its slot gets its text and answer. */
static bool keep(PyObject *key, const tp_repr_opts *opts, bool redacted)
{
    if (!opts->redact_gen || Py_TYPE(key) != &PyUnicode_Type ||
        PyUnicode_KIND(key) != PyUnicode_1BYTE_KIND)
        return false;
    size_t n = (size_t)PyUnicode_GET_LENGTH(key);
    Py_hash_t hash = tp_str_cached_hash(key);
    char quote;
    if (n - 1 >= TP_KEY_TEXT_MAX || hash == -1 || !tp_str_prints_as_is(key, &quote))
        return false;
    tp_key_text *e = tp_key_slot(hash);
    tp_key_words(PyUnicode_1BYTE_DATA(key), n, &e->head, &e->tail);
    e->len = (uint32_t)n;
    e->quote = quote;
    e->redacted = redacted;
    e->words_gen = opts->redact_gen;
    return true;
}

/* Out of line so that a kept key saves no registers. */
__attribute__((noinline)) bool tp_render_key_slow(tp_render *r, PyObject *key)
{
    if (r->sink.full)
        return false;   /* nothing more is written: the answer is not needed */
    if (Py_TYPE(key) != &PyUnicode_Type) {
        tp_render_value(r, key);
        return tp_str_is_redacted(key, r->opts);   /* a str subclass may name a secret */
    }
    tp_render_str(r, key);   /* first: it also readies a legacy str */
    bool redacted = tp_str_is_redacted(key, r->opts);
    keep(key, r->opts, redacted);
    return redacted;
}

bool tp_repr_name_is_redacted(PyObject *name, const tp_repr_opts *opts)
{
    if (!name || Py_TYPE(name) != &PyUnicode_Type)
        return name && tp_str_is_redacted(name, opts);
    if (!tp_str_ready(name)) {
        PyErr_Clear();   /* the error of the failed ready, nothing else's */
        return true;     /* its characters cannot be read: hidden */
    }
    size_t n = (size_t)PyUnicode_GET_LENGTH(name);
    Py_hash_t hash = tp_str_cached_hash(name);
    if (PyUnicode_KIND(name) == PyUnicode_1BYTE_KIND && n - 1 < TP_KEY_TEXT_MAX && hash != -1) {
        const tp_key_text *e = tp_key_find(PyUnicode_1BYTE_DATA(name), n, hash, opts->redact_gen);
        if (e)
            return e->redacted;
    }
    bool redacted = tp_str_is_redacted(name, opts);
    keep(name, opts, redacted);
    return redacted;
}
