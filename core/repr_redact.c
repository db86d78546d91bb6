/* Redaction: does a name contain one of the configured words? Matching
 * ignores ASCII case; the words are ASCII (password, token, ...). */
#include "repr_internal.h"

#include "compat/api.h"
#include "short_bytes.h"

#include <stdint.h>
#include <string.h>

static unsigned fold(unsigned c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* An empty word would redact everything; it is treated as absent. */
static bool word_usable(const char *word)
{
    return word && word[0];
}

static bool bytes_contain_word(const char *s, size_t len, const char *word)
{
    size_t wlen = strlen(word);
    for (size_t i = 0; i + wlen <= len; i++) {
        size_t j = 0;
        while (j < wlen && fold((unsigned char)s[i + j]) == fold((unsigned char)word[j]))
            j++;
        if (j == wlen)
            return true;
    }
    return false;
}

bool tp_repr_is_redacted(const char *name, const tp_repr_opts *opts)
{
    if (!name || !opts)
        return false;
    size_t len = strlen(name);
    for (size_t w = 0; w < opts->n_redact && opts->redact; w++) {
        if (word_usable(opts->redact[w]) && bytes_contain_word(name, len, opts->redact[w]))
            return true;
    }
    return false;
}

static bool str_contains_word(int kind, const void *data, Py_ssize_t len, const char *word)
{
    Py_ssize_t wlen = (Py_ssize_t)strlen(word);
    for (Py_ssize_t i = 0; i + wlen <= len; i++) {
        Py_ssize_t j = 0;
        while (j < wlen && fold(PyUnicode_READ(kind, data, i + j)) == fold((unsigned char)word[j]))
            j++;
        if (j == wlen)
            return true;
    }
    return false;
}

/* A Latin-1 str is scanned once, and the words are tried only where the
 * two bytes there start one of them. A pair is its bytes' low 5 bits each,
 * which ASCII case does not change; a 1-byte word marks every pair. Other
 * bytes may share a pair's bits: that only costs a needless try. */
#define PAIRS_WORDS 16

static unsigned pair_of(unsigned char first, unsigned char second)
{
    return (first & 31u) << 5 | (second & 31u);
}

static void find_pairs(const char *const *words, size_t n, uint64_t pairs[PAIRS_WORDS])
{
    for (size_t w = 0; w < n && words; w++) {
        if (!word_usable(words[w]))
            continue;
        const unsigned char *word = (const unsigned char *)words[w];
        for (unsigned second = 0; second < 32; second++) {
            if (word[1] && (word[1] & 31u) != second)
                continue;
            unsigned pair = pair_of(word[0], (unsigned char)second);
            pairs[pair >> 6] |= 1ULL << (pair & 63);
        }
    }
}

void tp_repr_opts_set_redact(tp_repr_opts *opts, const char *const *words, size_t n)
{
    opts->redact = words;
    opts->n_redact = n;
    memset(opts->redact_pairs, 0, sizeof opts->redact_pairs);
    find_pairs(words, n, opts->redact_pairs);
    opts->redact_shortest = SIZE_MAX;
    for (size_t w = 0; w < n && words; w++) {
        if (word_usable(words[w]) && strlen(words[w]) < opts->redact_shortest)
            opts->redact_shortest = strlen(words[w]);
    }
    static uint64_t last_gen;   /* GIL held */
    opts->redact_gen = ++last_gen;
}

/* Does `word` (lowercase ASCII) start at p[0], ignoring ASCII case? */
static bool word_at(const Py_UCS1 *p, size_t room, const char *word)
{
    size_t j = 0;
    for (; word[j]; j++) {
        if (j == room || fold(p[j]) != (unsigned char)word[j])
            return false;
    }
    return true;
}

/* Needs the pairs of tp_repr_opts_set_redact. */
static bool latin1_contains_word(const Py_UCS1 *p, size_t len, const tp_repr_opts *opts)
{
    const uint64_t *pairs = opts->redact_pairs;
    for (size_t i = 0; i < len; i++) {
        unsigned pair = pair_of(p[i], i + 1 < len ? p[i + 1] : 0);
        if (!((pairs[pair >> 6] >> (pair & 63)) & 1))
            continue;
        for (size_t w = 0; w < opts->n_redact; w++) {
            const char *word = opts->redact[w];
            if (word_usable(word) && (unsigned char)word[0] == fold(p[i]) &&
                word_at(p + i, len - i, word))
                return true;
        }
    }
    return false;
}

static bool str_is_redacted(PyObject *s, const tp_repr_opts *opts)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t len = PyUnicode_GET_LENGTH(s);
    if (kind == PyUnicode_1BYTE_KIND && opts->redact_gen)
        return latin1_contains_word(data, (size_t)len, opts);
    for (size_t w = 0; w < opts->n_redact; w++) {
        if (word_usable(opts->redact[w]) && str_contains_word(kind, data, len, opts->redact[w]))
            return true;
    }
    return false;
}

/* The answers for the last dict keys seen, by their text: a program's
 * dicts share a few keys, though not always the same str objects (every
 * json.loads makes its own). A key of 1..16 Latin-1 bytes is identified by
 * its length and two words that together hold all its bytes; longer keys
 * are scanned each time. No entry holds a reference. Direct-mapped by the
 * str's hash. Owned by the renderer: GIL held. */
#define KEY_ANSWERS 64
#define KEY_TEXT_MAX 16

typedef struct key_text {
    uint64_t head, tail;
    size_t len;
} key_text;

typedef struct key_answer {
    key_text text;
    uint64_t words_gen;
    bool redacted;
} key_answer;

static key_answer key_answers[KEY_ANSWERS];

/* (len, head, tail) tells any two keys of up to 16 bytes apart: the two
 * words hold all the bytes (short_bytes.h). */
static key_text key_text_of(const Py_UCS1 *p, size_t n)
{
    if (n >= 8)
        return (key_text){tp_short_bytes(p, 8, 0), tp_short_bytes(p + n - 8, 8, 0), n};
    return (key_text){tp_short_bytes(p, n, 0), 0, n};
}

/* A miss: scanned, and kept. Out of line so that a hit saves no registers. */
static __attribute__((noinline)) bool answer_and_keep(PyObject *s, const tp_repr_opts *opts,
                                                      key_answer *a, const key_text *k)
{
    bool redacted = str_is_redacted(s, opts);
    *a = (key_answer){*k, opts->redact_gen, redacted};
    return redacted;
}

/* Whatever the kept answers do not cover: other strs are scanned each
 * time; a key that is no str is never redacted. */
static __attribute__((noinline)) bool answer_any(PyObject *s, const tp_repr_opts *opts)
{
    if (opts->n_redact == 0 || !opts->redact || !PyUnicode_Check(s))
        return false;
    return str_is_redacted(s, opts);
}

/* The slot comes from the str's own hash, which a dict key always has
 * (-1: not computed yet, then the key is not kept). */
bool tp_str_is_redacted(PyObject *s, const tp_repr_opts *opts)
{
    if (Py_TYPE(s) != &PyUnicode_Type || !opts->redact_gen || !opts->n_redact || !opts->redact ||
        PyUnicode_KIND(s) != PyUnicode_1BYTE_KIND)
        return answer_any(s, opts);
    size_t n = (size_t)PyUnicode_GET_LENGTH(s);
    if (n < opts->redact_shortest)   /* "id", "qty": no word fits */
        return false;
    Py_hash_t hash = tp_str_cached_hash(s);
    if (n - 1 >= KEY_TEXT_MAX || hash == -1)   /* n - 1: 0 too */
        return answer_any(s, opts);
    key_text k = key_text_of(PyUnicode_1BYTE_DATA(s), n);
    key_answer *a = &key_answers[(size_t)hash % KEY_ANSWERS];
    if (a->words_gen == opts->redact_gen && a->text.len == n && a->text.head == k.head &&
        a->text.tail == k.tail)
        return a->redacted;
    return answer_and_keep(s, opts, a, &k);
}
