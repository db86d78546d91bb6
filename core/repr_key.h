/* A dict's str keys: what each prints as and whether it hides its value,
 * kept by its text. A program's dicts share a few keys, though not always
 * the same str objects (every json.loads makes its own), and a key's text
 * and redaction answer cost more than the rest of its entry. Shared by
 * repr.c and repr_key.c only. */
#ifndef TP_REPR_KEY_H
#define TP_REPR_KEY_H

#include "repr_internal.h"

#include "compat/api.h"
#include "short_bytes.h"

/* Keys of 1..16 Latin-1 bytes: (len, head, tail) holds all their bytes
 * (short_bytes.h), so equal fields mean equal texts. */
#define TP_KEY_TEXT_MAX 16
#define TP_KEY_TEXTS_LOG2 6

typedef struct tp_key_text {
    uint64_t head, tail;
    uint64_t words_gen;   /* the redaction words `redacted` answers for; 0: empty */
    uint32_t len;
    char quote;           /* printed as its bytes between these; never 0 when kept */
    bool redacted;
} tp_key_text;

/* Direct-mapped by the str's hash, which a dict key always has. No entry
 * holds a reference. Owned by the renderer: GIL held. */
extern tp_key_text tp_key_texts[1 << TP_KEY_TEXTS_LOG2];

/* A key's slot, from its str's hash. */
static inline tp_key_text *tp_key_slot(Py_hash_t hash)
{
    return &tp_key_texts[(size_t)hash & ((1u << TP_KEY_TEXTS_LOG2) - 1)];
}

/* The words of a key of n (1..16) bytes at p. */
static inline void tp_key_words(const Py_UCS1 *p, size_t n, uint64_t *head, uint64_t *tail)
{
    *head = tp_short_bytes(p, n < 8 ? n : 8, 0);
    *tail = n > 8 ? tp_short_bytes(p + n - 8, 8, 0) : 0;
}

/* The kept entry of a str of n (1..16) Latin-1 bytes at p with this hash,
 * under the redaction words `words_gen`, or NULL. */
static inline const tp_key_text *tp_key_find(const Py_UCS1 *p, size_t n, Py_hash_t hash,
                                             uint64_t words_gen)
{
    uint64_t head, tail;
    tp_key_words(p, n, &head, &tail);
    const tp_key_text *e = tp_key_slot(hash);
    if (e->words_gen != words_gen || !words_gen || e->len != n || e->head != head ||
        e->tail != tail)
        return NULL;
    return e;
}

/* Every key that is not kept: rendered in full, answered by a scan, and
 * kept when it can be. */
bool tp_render_key_slow(tp_render *r, PyObject *key);

/* Renders a dict key; true when its value is to be redacted. Inline: a
 * kept key is a lookup and one copy. */
static inline bool tp_render_key(tp_render *r, PyObject *key)
{
    if (Py_TYPE(key) != &PyUnicode_Type || !tp_str_ready(key) ||
        PyUnicode_KIND(key) != PyUnicode_1BYTE_KIND)
        return tp_render_key_slow(r, key);
    size_t n = (size_t)PyUnicode_GET_LENGTH(key);
    Py_hash_t hash = tp_str_cached_hash(key);
    if (n - 1 >= TP_KEY_TEXT_MAX || hash == -1)   /* n - 1: 0 too */
        return tp_render_key_slow(r, key);
    const Py_UCS1 *p = PyUnicode_1BYTE_DATA(key);
    const tp_key_text *e = tp_key_find(p, n, hash, r->opts->redact_gen);
    if (!e)
        return tp_render_key_slow(r, key);
    tp_sink_quoted(&r->sink, e->quote, (const char *)p, n);
    return e->redacted;
}

#endif
