#include "string_guard.h"

#include <string.h>

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

void tp_string_guard_init(tp_string_guard *g, uint64_t limit)
{
    memset(g, 0, sizeof *g);
    g->limit = limit;
}

/* High bit set in each byte of `word` equal to `c`; the lowest set bit is
 * exact (borrows only disturb bytes above a match). */
static uint64_t bytes_equal(uint64_t word, unsigned char c)
{
    uint64_t x = word ^ (ONES * c);
    return (x - ONES) & ~x & HIGHS;
}

/* Index of the first byte that is `a` or `b`, or len. */
static size_t find_either(const unsigned char *p, size_t len, unsigned char a, unsigned char b)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= len; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        uint64_t hits = bytes_equal(word, a) | bytes_equal(word, b);
        if (hits)
            return i + (size_t)(__builtin_ctzll(hits) >> 3);
    }
#endif
    for (; i < len; i++)
        if (p[i] == a || p[i] == b)
            return i;
    return len;
}

/* Chunk offset where the open string passes the limit, if it does by `at`. */
static bool too_long(const tp_string_guard *g, size_t at, size_t *stop)
{
    if (g->base + at - g->string_start <= g->limit)
        return false;
    *stop = (size_t)(g->string_start + g->limit - g->base);
    return true;
}

/* Moves through an open string from `i`; returns where scanning goes on. */
static size_t in_string(tp_string_guard *g, const unsigned char *data, size_t len, size_t i)
{
    if (g->in_escape) {
        g->in_escape = false;
        return i + 1;
    }
    size_t j = i + find_either(data + i, len - i, '"', '\\');
    if (j == len)
        return len;
    if (data[j] == '"')
        g->in_string = false;
    else
        g->in_escape = true;
    return j + 1;
}

size_t tp_string_guard_scan(tp_string_guard *g, const unsigned char *data, size_t len)
{
    size_t i = 0, stop;
    while (i < len) {
        if (!g->in_string) {
            i += find_either(data + i, len - i, '"', '"');
            if (i == len)
                break;
            g->in_string = true;
            g->string_start = g->base + ++i;
            continue;
        }
        size_t next = in_string(g, data, len, i);
        /* the bytes before a closing quote are the string's; the quote is not */
        size_t end = g->in_string ? next : next - 1;
        if (too_long(g, end, &stop))
            return stop;
        i = next;
    }
    g->base += len;
    return len;
}
