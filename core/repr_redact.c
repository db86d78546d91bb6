/* Redaction: does a name contain one of the configured words? Matching
 * ignores ASCII case; the words are ASCII (password, token, ...). */
#include "repr_internal.h"

#include "compat/api.h"

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

/* Does `word` start at p[0], ignoring ASCII case on both sides (a word
 * may be configured in capitals: "SSN")? */
static bool word_at(const Py_UCS1 *p, size_t room, const char *word)
{
    size_t j = 0;
    for (; word[j]; j++) {
        if (j == room || fold(p[j]) != fold((unsigned char)word[j]))
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
            if (word_usable(word) && fold((unsigned char)word[0]) == fold(p[i]) &&
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

bool tp_str_is_redacted(PyObject *s, const tp_repr_opts *opts)
{
    if (opts->n_redact == 0 || !opts->redact || !PyUnicode_Check(s))
        return false;
    if (!tp_str_ready(s)) {
        PyErr_Clear();
        return true;   /* its characters cannot be read: hide what it names */
    }
    if (opts->redact_gen && (size_t)PyUnicode_GET_LENGTH(s) < opts->redact_shortest)
        return false;   /* "id", "qty": no word fits */
    return str_is_redacted(s, opts);
}
