/* Texts kept by what determines them: flat dicts by (address, version),
 * floats by value, strs that need the render machinery by content.
 *
 * A program hands the same dict down a chain of calls: the record a
 * parser returns is the argument of the validator, its lines are the
 * arguments of the per-line checks, and json.loads passes its result up
 * through three frames. Rendering such a dict again costs ~100
 * instructions an entry; finding its text here costs a few.
 *
 * Only a dict whose keys and values are all None, bools, ints, floats or
 * strs is kept: its text then depends on nothing but the dict's own
 * contents, which its version names (compat/api.h, tp_dict_version: a
 * nested list could change without the dict's version moving). The text is
 * the whole, uncut rendering; appending it through the sink cuts it where
 * rendering would have, since the sink counts code points only, so only
 * texts of ASCII characters (one byte each) are kept. The redaction words
 * change what a dict prints, so an entry also records which set it was made
 * with (tp_repr_opts.redact_gen). No entry holds a reference. */
#include "repr_internal.h"

#include "compat/api.h"
#include "float_text.h"
#include "slot_hash.h"

#define MEMO_SLOTS_LOG2 6
#define MEMO_TEXT_MAX 232

typedef struct memo_entry {
    const PyObject *dict;
    uint64_t version;
    uint64_t words_gen;
    uint32_t len;
    char text[MEMO_TEXT_MAX];
} memo_entry;

/* Direct-mapped by address. Owned by the renderer: only touched with the
 * GIL held (tp_repr's rule), so from one thread at a time. */
static memo_entry memo[1 << MEMO_SLOTS_LOG2];

static memo_entry *slot_of(const PyObject *dict)
{
    return &memo[tp_slot_of_address(dict, MEMO_SLOTS_LOG2)];
}

bool tp_dict_memo_write(tp_render *r, const PyObject *dict, uint64_t version)
{
    const memo_entry *e = slot_of(dict);
    uint64_t gen;
    if (e->dict != dict || e->version != version || !tp_memo_words_gen(r->opts, &gen) ||
        e->words_gen != gen)
        return false;
    tp_sink_ascii(&r->sink, e->text, e->len);
    return true;
}

void tp_dict_memo_keep(const tp_repr_opts *opts, const PyObject *dict, uint64_t version,
                       const char *text, size_t len)
{
    uint64_t gen;
    if (len > MEMO_TEXT_MAX || !tp_memo_words_gen(opts, &gen))
        return;
    memo_entry *e = slot_of(dict);
    e->dict = dict;
    e->version = version;
    e->words_gen = gen;
    e->len = (uint32_t)len;
    memcpy(e->text, text, len);
}

/* Float texts: the table (owned by the renderer: GIL held) and the miss;
 * the hit is inline (repr_internal.h). */
tp_float_text tp_float_texts[TP_FLOAT_TEXTS];

const char *tp_float_memo_miss(tp_float_text *e, uint64_t bits, double v, size_t *len)
{
    e->bits = bits;
    e->len = (uint32_t)tp_float_text_fixed(v, e->text);
    *len = e->len;
    return e->len ? e->text : NULL;
}

/* Strs given or returned whole that the fast form does not take (longer
 * than max_chars, or needing escapes): the request text a handler passes
 * to its parser, to json.loads, to decode and raw_decode; ~400
 * instructions each time for the first 120 characters and the choice of
 * quote. A str's text depends on its characters and max_chars alone, so
 * an entry keeps the characters and is used for any str equal to them:
 * the address only picks the slot, and an address reused by another str
 * is then harmless. Only strs of up to STR_SOURCE_MAX bytes are kept,
 * which a compare (memcmp) reads in a few dozen instructions. */
#define STR_SLOTS_LOG2 6
#define STR_SOURCE_MAX 512
#define STR_TEXT_MAX 240

typedef struct str_entry {
    size_t max_chars;
    uint32_t n_bytes;     /* of the characters, kind bytes each; 0: empty */
    uint32_t len;         /* of the text */
    int kind;
    char text[STR_TEXT_MAX];
    unsigned char source[STR_SOURCE_MAX];
} str_entry;

/* Direct-mapped by address. Owned by the renderer: only touched with the
 * GIL held (tp_repr's rule). Its pages are touched only once strs are
 * kept. */
static str_entry strs[1 << STR_SLOTS_LOG2];

static str_entry *str_slot_of(const PyObject *str)
{
    return &strs[tp_slot_of_address(str, STR_SLOTS_LOG2)];
}

/* The str's characters as bytes, when few enough to keep; NULL if not. */
static const void *str_source(PyObject *str, int *kind, size_t *n_bytes)
{
    if (!tp_str_ready(str))
        return NULL;
    *kind = PyUnicode_KIND(str);
    *n_bytes = (size_t)PyUnicode_GET_LENGTH(str) * (size_t)*kind;
    return *n_bytes && *n_bytes <= STR_SOURCE_MAX ? PyUnicode_DATA(str) : NULL;
}

bool tp_str_memo_write(PyObject *str, size_t max_chars, tp_buf *out)
{
    int kind;
    size_t n_bytes;
    const void *source = str_source(str, &kind, &n_bytes);
    if (!source)
        return false;
    const str_entry *e = str_slot_of(str);
    if (e->n_bytes != n_bytes || e->kind != kind || e->max_chars != max_chars ||
        memcmp(e->source, source, n_bytes) != 0)
        return false;
    tp_buf_append(out, e->text, e->len);
    return true;
}

void tp_str_memo_keep(PyObject *str, size_t max_chars, const char *text, size_t len)
{
    int kind;
    size_t n_bytes;
    const void *source = str_source(str, &kind, &n_bytes);
    if (!source || len > STR_TEXT_MAX)
        return;
    str_entry *e = str_slot_of(str);
    e->max_chars = max_chars;
    e->n_bytes = (uint32_t)n_bytes;
    e->len = (uint32_t)len;
    e->kind = kind;
    memcpy(e->text, text, len);
    memcpy(e->source, source, n_bytes);
}
