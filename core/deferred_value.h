/* Values kept in a recorded text in binary, written out as repr text when
 * the trace is written.
 *
 * Two kinds of value have a repr that depends on a few numbers alone, and
 * printing it is the dearest part of recording them:
 * - a float: finding the shortest decimal that reads back (float_text.c)
 *   costs up to ~400 instructions for a float such as 0.30000000000000004,
 *   against ~20 to keep its eight bytes;
 * - an instance of a class that keeps object.__repr__: its text is
 *   "<module.Qualname object at 0x" and the address in hex, and the
 *   first part is the same for every instance.
 * So the recording path keeps the numbers, and the trace writer, on its
 * own thread and without the GIL, prints them.
 *
 * In a text, a deferred value is the byte 0xFF (which never occurs in
 * UTF-8, and every other text is UTF-8), a kind, and its bytes as they are
 * in memory, which may include NUL and 0xFF: a reader must step over them,
 * and a recorded text that holds one ends at the first NUL after its last
 * deferred value, not at its first NUL.
 * - 'f' and the double: a float;
 * - 'o', the offset of the object's prefix ("<module.Qualname object at
 *   0x", NUL-terminated) in the window's prefix store (uint32_t), and the
 *   object's address: an object. */
#ifndef TP_DEFERRED_VALUE_H
#define TP_DEFERRED_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

#define TP_DEFERRED '\xFF'
#define TP_DEFERRED_FLOAT 'f'
#define TP_DEFERRED_FLOAT_BYTES (2 + 8)
#define TP_DEFERRED_OBJECT 'o'
#define TP_DEFERRED_OBJECT_BYTES (2 + 4 + 8)

/* Appends a marker, a kind and n - 2 bytes from `bytes`: in place when
 * the room is there (the common case: no copy through the stack). */
static inline void tp_defer_bytes(tp_buf *out, char kind, const void *bytes, size_t n)
{
    size_t len = out->len;
    char *d = out->data;
    if (len + n < out->cap) {   /* never true once failed */
        const char head[2] = {TP_DEFERRED, kind};
        memcpy(d + len, head, 2);   /* one store */
        memcpy(d + len + 2, bytes, n - 2);
        d[len + n] = '\0';
        out->len = len + n;
        return;
    }
    char kept[TP_DEFERRED_OBJECT_BYTES] = {TP_DEFERRED, kind};
    memcpy(kept + 2, bytes, n - 2);
    tp_buf_append_slow(out, kept, n);
}

/* The longest text tp_float_text_fixed writes ("-0.000" and 17 digits):
 * shorter limits of max_repr could cut it, and cutting needs the text. */
#define TP_DEFERRED_FLOAT_TEXT_MAX 23

/* The bits of 1e-4 and of 2^53: the bits of non-negative doubles are in
 * the order of their values, so one subtraction and one compare tell
 * whether 1e-4 <= |v| < 2^53 (NaN and infinities fall outside). From 2^53
 * up every double is whole, so this is float_text.c's range for the
 * doubles that are not. */
#define TP_DEFERRED_FLOAT_LOW_BITS 0x3F1A36E2EB1C432DULL
#define TP_DEFERRED_FLOAT_HIGH_BITS 0x4340000000000000ULL

/* Appends v deferred when float_text.c will print it (finite, not whole,
 * 1e-4 <= |v| < 1e16) and max_chars (0: no limit) cannot cut it; false,
 * having written nothing, otherwise. */
static inline bool tp_defer_float(double v, size_t max_chars, tp_buf *out)
{
#ifdef __SIZEOF_INT128__
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t magnitude = bits & ~(1ULL << 63);
    uint64_t span = TP_DEFERRED_FLOAT_HIGH_BITS - TP_DEFERRED_FLOAT_LOW_BITS;
    if (magnitude - TP_DEFERRED_FLOAT_LOW_BITS >= span || (double)(int64_t)v == v ||
        max_chars - 1 < TP_DEFERRED_FLOAT_TEXT_MAX - 1)
        return false;
    tp_defer_bytes(out, TP_DEFERRED_FLOAT, &v, TP_DEFERRED_FLOAT_BYTES);
    return true;
#else
    (void)v, (void)max_chars, (void)out;
    return false;   /* float_text.c needs a 128-bit integer type */
#endif
}

/* Appends the object at `address` deferred, its prefix at `prefix_at` in
 * the store. The caller has checked that max_repr cannot cut its text. */
static inline void tp_defer_object(const void *address, uint32_t prefix_at, tp_buf *out)
{
    char bytes[TP_DEFERRED_OBJECT_BYTES - 2];
    memcpy(bytes, &prefix_at, sizeof prefix_at);
    memcpy(bytes + sizeof prefix_at, &address, sizeof address);
    tp_defer_bytes(out, TP_DEFERRED_OBJECT, bytes, TP_DEFERRED_OBJECT_BYTES);
}

/* The recorded text at `s`, NUL-terminated, with its deferred values
 * written out, appended to `out` (without a NUL of its own); `prefixes`
 * is the store of the window that recorded it. */
void tp_deferred_expand(const char *s, const tp_buf *prefixes, tp_buf *out);

/* Whether the recorded text at `s` holds a deferred value; *plain_len is
 * its length when it holds none. */
bool tp_deferred_any(const char *s, size_t *plain_len);

#endif
