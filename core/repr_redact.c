/* Redaction: does a name contain one of the configured words? Matching
 * ignores ASCII case; the words are ASCII (password, token, ...). */
#include "repr_internal.h"

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

bool tp_str_is_redacted(PyObject *s, const tp_repr_opts *opts)
{
    if (opts->n_redact == 0 || !opts->redact || !PyUnicode_Check(s))
        return false;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t len = PyUnicode_GET_LENGTH(s);
    for (size_t w = 0; w < opts->n_redact; w++) {
        if (word_usable(opts->redact[w]) && str_contains_word(kind, data, len, opts->redact[w]))
            return true;
    }
    return false;
}
