/* Shared by the repr_*.c files only: the bounded writer, the render state
 * and the per-kind renderers. Not part of the core's interface (repr.h). */
#ifndef TP_REPR_INTERNAL_H
#define TP_REPR_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "address_text.h"
#include "compat/errstate.h"
#include "float_text.h"
#include "slot_hash.h"
#include "repr.h"

/* Writes at most `limit` code points of one value into `out`. When a value
 * turns out longer, what was written after code point limit-3 is dropped and
 * "..." put in its place; from then on writes are ignored (`full`). The
 * count of code points is not kept: it is the bytes written less `extra`,
 * so an ASCII append, nearly every append, is one compare (`fast_end`). */
typedef struct tp_sink {
    tp_buf *out;
    size_t start;       /* out->len when the value began */
    size_t limit;       /* code points allowed (SIZE_MAX: no limit) */
    size_t extra;       /* bytes written beyond one a code point (UTF-8) */
    size_t keep_at;     /* code points kept when the value is cut */
    size_t keep_len;    /* out->len once the count reached keep_at */
    size_t fast_end;    /* an ASCII append that ends below this is below both the
                           buffer's end and keep_at (0 once full): tp_sink_refresh */
    bool full;
} tp_sink;

static inline size_t tp_sink_count(const tp_sink *s)
{
    return s->out->len - s->start - s->extra;
}

/* After anything but an ASCII append: the cap may have moved, and so may
 * the count. A later non-ASCII write only makes fast_end too low, never
 * too high (it raises extra), so refreshing is needed only where the
 * buffer grew, the value restarted or stopped. */
static inline void tp_sink_refresh(tp_sink *s)
{
    size_t cut_at = s->keep_at > SIZE_MAX - s->start - s->extra
                        ? SIZE_MAX : s->start + s->extra + s->keep_at;
    s->fast_end = s->full ? 0 : cut_at < s->out->cap ? cut_at : s->out->cap;
}

static inline void tp_sink_init(tp_sink *s, tp_buf *out, size_t max_chars)
{
    size_t limit = max_chars ? max_chars : SIZE_MAX;
    s->out = out;
    s->start = out->len;
    s->limit = limit;
    s->extra = 0;
    s->keep_at = limit > 3 ? limit - 3 : 0;
    s->keep_len = out->len;
    s->full = false;
    tp_sink_refresh(s);
}

/* Stops the value: nothing more is written. */
static inline void tp_sink_stop(tp_sink *s)
{
    s->full = true;
    s->fast_end = 0;
}

/* Out of line: the part of tp_sink_ascii that counts toward a cut. */
void tp_sink_ascii_near_limit(tp_sink *s, const char *p, size_t n);

/* n code points that are n bytes (every byte < 0x80). Inline because a
 * rendered value is a dozen small appends, nearly all far from the limit
 * and the end of the buffer. These leave the buffer unterminated: the
 * value's end terminates it (tp_sink_end). */
static inline void tp_sink_ascii(tp_sink *s, const char *p, size_t n)
{
    tp_buf *b = s->out;
    size_t len = b->len;
    if (len + n < s->fast_end) {
        b->len = len + n;
        if (n <= 16)
            tp_copy_small(b->data + len, p, n);
        else
            memcpy(b->data + len, p, n);
        return;
    }
    tp_sink_ascii_near_limit(s, p, n);   /* also grows the buffer */
}

/* Puts back the NUL that tp_buf promises after its bytes. */
static inline void tp_sink_end(tp_sink *s)
{
    if (s->out->cap)
        s->out->data[s->out->len] = '\0';
}

/* quote, n ASCII bytes, quote: one copy while far from the cut and the
 * buffer has room, as most str values are. */
static inline void tp_sink_quoted(tp_sink *s, char quote, const char *p, size_t n)
{
    tp_buf *b = s->out;
    if (b->len + n + 2 < s->fast_end) {
        char *d = b->data + b->len;
        d[0] = quote;
        if (n <= 16)
            tp_copy_small(d + 1, p, n);
        else
            memcpy(d + 1, p, n);
        d[n + 1] = quote;
        b->len += n + 2;
        return;
    }
    tp_sink_ascii(s, &quote, 1);
    tp_sink_ascii(s, p, n);
    tp_sink_ascii(s, &quote, 1);
}

/* ASCII, NUL-terminated; the length of a literal folds away when inlined. */
static inline void tp_sink_cstr(tp_sink *s, const char *p)
{
    tp_sink_ascii(s, p, strlen(p));
}
void tp_sink_code_point(tp_sink *s, uint32_t cp);           /* surrogates become U+FFFD */
void tp_sink_rewind(tp_sink *s);                            /* forget this value */

/* An exact container whose repr is in progress, innermost first: finding one
 * inside itself prints [...], and user reprs called meanwhile are told about
 * them (Py_ReprEnter) so they print the same [...] Python would. */
typedef struct tp_active {
    PyObject *container;
    struct tp_active *outer;
    bool python_knows;  /* we called Py_ReprEnter for it; Py_ReprLeave owed */
} tp_active;

/* Deeper nesting than this fails the whole value with RecursionError, as
 * Python's own repr does at about its recursion limit; it bounds our C stack. */
#define TP_REPR_MAX_NESTING 500

/* What a value's text was made from, taken while it renders, to keep the
 * text with (repr_memo_guarded.c): one guard a container, in the order
 * they were entered, each list's or tuple's visited items by address. */
#define TP_GUARDS_MAX 16
#define TP_GUARD_ITEMS_MAX 48

typedef struct tp_guard {
    const PyObject *obj;
    const PyTypeObject *type;
    uint64_t tag;          /* a dict's version; a list's or tuple's size */
    uint32_t items_at;     /* list, tuple: where its visited items are in items[] */
    uint32_t n_items;
} tp_guard;

typedef struct tp_guard_log {
    uint32_t n_guards, n_items;
    tp_guard guards[TP_GUARDS_MAX];
    const PyObject *items[TP_GUARD_ITEMS_MAX];
} tp_guard_log;

typedef struct tp_render {
    tp_sink sink;
    const tp_repr_opts *opts;
    tp_active *innermost;
    unsigned depth;
    bool too_deep;
    tp_guard_log *log;     /* taking guards; NULL: not, or no longer (the value
                              holds something no guard can vouch for) */
    bool held;             /* the container now rendering is held by one proved
                              unchanged (a dict, or a tuple so held): its items
                              are then the same objects while it is */
} tp_render;

void tp_render_value(tp_render *r, PyObject *o);
void tp_render_str(tp_render *r, PyObject *s);      /* Python's repr of a str */
void tp_render_bytes(tp_render *r, PyObject *b);    /* Python's repr of bytes */
void tp_render_text(tp_render *r, PyObject *s);     /* a str's characters, unescaped */
void tp_render_int(tp_render *r, PyObject *o);
/* Writes v's decimal digits at the end of `digits`; returns where they
 * start. */
#define TP_DIGITS_MAX 24
size_t tp_format_long_long(char digits[TP_DIGITS_MAX], long long v);
void tp_render_float(tp_render *r, PyObject *o);
void tp_render_class(tp_render *r, PyTypeObject *tp);
void tp_render_function(tp_render *r, PyObject *f);
void tp_render_builtin(tp_render *r, PyObject *f);  /* a built-in function or method */
void tp_render_unknown(tp_render *r, PyObject *o);  /* its repr(), or the safe form */
void tp_render_exception(tp_render *r, PyObject *exc);   /* "Type: message" (repr_exception.c) */
/* Without the render machinery, when the whole text fits max_chars (else
 * false, having written nothing): a str of printable ASCII with at most one
 * kind of quote. */
bool tp_repr_fast_str(PyObject *s, size_t max_chars, tp_buf *out);
/* Whether a str's repr is its bytes between quotes (printable ASCII, at
 * most one kind of quote), and which quotes: any length. */
bool tp_str_prints_as_is(PyObject *s, char *quote);
/* tp_repr_object (repr.h): an instance of a class that keeps
 * object.__repr__ and whose path is kept is written without the render
 * machinery, when it fits; the rest goes to tp_repr_slow. */
/* tp_repr through the whole render machinery. */
void tp_repr_slow(PyObject *o, const tp_repr_opts *opts, tp_buf *out);
void tp_render_type_name(tp_render *r, PyTypeObject *tp);   /* the type's __name__ */
/* "<`what` failed: T>" for the exception now pending, which it clears. */
void tp_render_failure(tp_render *r, const char *what);

/* Texts of dicts of scalars by (address, version) (repr_memo.c). Write:
 * appends the kept text and returns true, or returns false having written
 * nothing. Keep: `text` is the dict's whole rendering, ASCII. */
bool tp_dict_memo_write(tp_render *r, const PyObject *dict, uint64_t version);
void tp_dict_memo_keep(const tp_repr_opts *opts, const PyObject *dict, uint64_t version,
                       const char *text, size_t len);

/* Whole texts of strs rendered at the top through the render machinery,
 * kept with the characters they were made from (repr_memo.c). Write:
 * appends the kept text of a str equal to this one, rendered with the
 * same max_chars, and returns true, or returns false having written
 * nothing. Keep: `text` is the str's whole output. */
bool tp_str_memo_write(PyObject *str, size_t max_chars, tp_buf *out);
void tp_str_memo_keep(PyObject *str, size_t max_chars, const char *text, size_t len);

/* Whole texts of dicts, lists and tuples rendered at the top, kept with
 * their guards (repr_memo_guarded.c). Write: appends the kept text and
 * returns true when every guard still holds, or returns false having
 * written nothing. Keep: `text` is the value's whole output, `log` what it
 * was made from. */
bool tp_guarded_memo_write(PyObject *o, const tp_repr_opts *opts, tp_buf *out);
void tp_guarded_memo_keep(PyObject *o, const tp_repr_opts *opts, const tp_guard_log *log,
                          const char *text, size_t len);

/* Taking guards while a value renders (only while r->log is set; each
 * stops taking them, r->log = NULL, when the value cannot be kept). A
 * dict, with its version; a list or tuple, opened before its items are
 * rendered and closed with how many were; an item, checked before it
 * renders: can the text trust it, given where it is held? */
void tp_guard_dict(tp_render *r, PyObject *dict, uint64_t version);
uint32_t tp_guard_open(tp_render *r, PyObject *seq);
void tp_guard_close(tp_render *r, uint32_t guard, PyObject *const *items, size_t visited);
void tp_guard_item_slow(tp_render *r, PyObject *item, bool held);

/* What an item of a container is to the kept texts: found once, with one
 * chain of compares, most common first (a dict's keys and values are
 * mostly strs and ints), and used by the guards and the flat-dict memo
 * alike. The order of the kinds matters: plain scalars come first. */
typedef enum tp_item_kind {
    TP_ITEM_SCALAR,      /* an exact str, int or float */
    TP_ITEM_SINGLETON,   /* None or a bool: never freed */
    TP_ITEM_CONTAINER,   /* an exact dict, list or tuple: guarded itself */
    TP_ITEM_OTHER,
} tp_item_kind;

static inline tp_item_kind tp_item_kind_of(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    if (tp == &PyUnicode_Type || tp == &PyLong_Type || tp == &PyFloat_Type)
        return TP_ITEM_SCALAR;
    if (o == Py_None || tp == &PyBool_Type)
        return TP_ITEM_SINGLETON;
    if (tp == &PyDict_Type || tp == &PyList_Type || tp == &PyTuple_Type)
        return TP_ITEM_CONTAINER;
    return TP_ITEM_OTHER;
}

/* Its text depends on nothing but itself: a dict of only these is kept by
 * its version (repr_memo.c). */
static inline bool tp_item_is_plain(tp_item_kind kind)
{
    return kind <= TP_ITEM_SINGLETON;
}

/* Inline: the kinds that need no more than their address are most items. */
static inline void tp_guard_item(tp_render *r, PyObject *item, tp_item_kind kind, bool held)
{
    if (kind == TP_ITEM_SINGLETON || kind == TP_ITEM_CONTAINER)
        return;   /* never freed, or checked themselves */
    if (held && kind == TP_ITEM_SCALAR)
        return;
    tp_guard_item_slow(r, item, held);
}

/* The set of redaction words a kept text is valid for; false when the
 * options do not name their set (words given without
 * tp_repr_opts_set_redact: nothing is kept for them). Inline: every kept
 * text's lookup asks. */
static inline bool tp_memo_words_gen(const tp_repr_opts *opts, uint64_t *gen)
{
    if (opts->n_redact && opts->redact && !opts->redact_gen)
        return false;
    *gen = opts->n_redact && opts->redact ? opts->redact_gen : 0;
    return true;
}

/* The texts of the last floats, by their bits (repr_memo.c): a program
 * passes the same few values again and again (a rate, a step, a price),
 * and the shortest digits that read back cost 150-400 instructions each
 * time. Direct-mapped; len 0: empty, or a value float_text.c leaves to
 * Python (whole numbers, exponents), which is asked again each time. */
#define TP_FLOAT_TEXTS_LOG2 7
#define TP_FLOAT_TEXTS (1 << TP_FLOAT_TEXTS_LOG2)

typedef struct tp_float_text {
    uint64_t bits;
    uint32_t len;
    char text[TP_FLOAT_TEXT_MAX];
} tp_float_text;

/* Owned by the renderer: read and written with the GIL held only. */
extern tp_float_text tp_float_texts[TP_FLOAT_TEXTS];

/* Computes v's text into entry e (a miss). */
const char *tp_float_memo_miss(tp_float_text *e, uint64_t bits, double v, size_t *len);

/* tp_float_text_fixed's text for v: valid until the next call; NULL when
 * float_text.c leaves v to Python. Inline: a hit is a few instructions. */
static inline const char *tp_float_memo_text(double v, size_t *len)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    tp_float_text *e = &tp_float_texts[tp_slot_of(bits, TP_FLOAT_TEXTS_LOG2)];
    if (e->bits != bits || !e->len)
        return tp_float_memo_miss(e, bits, v, len);
    *len = e->len;
    return e->text;
}

/* Does this str (or str subclass) contain one of the redaction words? A
 * scan each time: dict keys keep their answers (repr_key.h). */
bool tp_str_is_redacted(PyObject *s, const tp_repr_opts *opts);

/* Drops a reference; when that frees the object, its __del__ (user code)
 * runs under the guard so the recorder does not see it. Inline: nearly
 * every value rendered inside a container is held, and rarely the last. */
void tp_release_last(PyObject *o);

static inline void tp_release(PyObject *o)
{
    if (Py_REFCNT(o) > 1)
        Py_DECREF(o);
    else
        tp_release_last(o);
}

/* Drops a pending exception taken with tp_err_save (compat/errstate.h). */
void tp_error_discard(tp_errstate *e);

#endif
