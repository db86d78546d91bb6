#include "string_guard.h"

#include <string.h>

void tp_string_guard_init(tp_string_guard *g, uint64_t limit)
{
    memset(g, 0, sizeof *g);
    g->limit = limit;
}

/* Index of the first byte that is a quote or a backslash, or len. */
static size_t find_special(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == '"' || p[i] == '\\')
            return i;
    return len;
}

/* Follows the open string from `i` to its closing quote or to len;
 * returns where it stopped. */
static size_t follow_string(tp_string_guard *g, const unsigned char *data, size_t len, size_t i)
{
    while (g->in_string && i < len) {
        if (g->in_escape) {
            g->in_escape = false;
            i++;
            continue;
        }
        size_t j = i + find_special(data + i, len - i);
        if (j == len)
            return len;
        if (data[j] == '"')
            g->in_string = false;
        else
            g->in_escape = true;
        i = j + 1;
    }
    return i;
}

bool tp_string_guard_enter(tp_string_guard *g, const unsigned char *data, size_t len,
                           size_t *done, size_t *stop)
{
    *done = 0;
    if (!g->in_string)
        return true;
    size_t end = follow_string(g, data, len, 0);
    /* the closing quote is not part of the string */
    uint64_t string_len = g->base + end - (g->in_string ? 0 : 1) - g->string_start;
    if (string_len > g->limit) {
        *stop = (size_t)(g->string_start + g->limit - g->base);
        return false;
    }
    *done = end;
    return true;
}

void tp_string_guard_leave(tp_string_guard *g, const unsigned char *data, size_t len,
                           size_t done)
{
    size_t i = done;
    while (i < len) {
        if (!g->in_string) {
            const unsigned char *quote = memchr(data + i, '"', len - i);
            if (!quote)
                break;
            i = (size_t)(quote - data) + 1;
            g->in_string = true;
            g->in_escape = false;
            g->string_start = g->base + i;
        }
        i = follow_string(g, data, len, i);
    }
    g->base += len;
}
