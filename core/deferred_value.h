/* Floats kept in a recorded text as their eight bytes, written out as
 * repr text when the trace is written.
 *
 * A float's repr depends on its bits alone, and finding the shortest
 * decimal that reads back (float_text.c) is the dearest part of recording
 * float arguments and return values: ~400 instructions for a float such
 * as 0.30000000000000004 against ~20 to keep its bytes. So the recording
 * path keeps the bytes, and the trace writer, on its own thread and
 * without the GIL, prints them.
 *
 * In a text, a deferred float is the byte 0xFF (which never occurs in
 * UTF-8, and every other text is UTF-8) followed by the double's eight
 * bytes as they are in memory, which may include NUL and 0xFF: a reader
 * must step over them, and a recorded text that holds one ends at the
 * first NUL after its last deferred float, not at its first NUL. */
#ifndef TP_DEFERRED_VALUE_H
#define TP_DEFERRED_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

#define TP_DEFERRED_FLOAT '\xFF'
#define TP_DEFERRED_FLOAT_BYTES 9

/* The longest text tp_float_text_fixed writes ("-0.000" and 17 digits):
 * shorter limits of max_repr could cut it, and cutting needs the text. */
#define TP_DEFERRED_FLOAT_TEXT_MAX 23

/* Appends v deferred when float_text.c will print it (finite, not whole,
 * 1e-4 <= |v| < 1e16) and max_chars (0: no limit) cannot cut it; false,
 * having written nothing, otherwise. */
static inline bool tp_defer_float(double v, size_t max_chars, tp_buf *out)
{
#ifdef __SIZEOF_INT128__
    double a = v < 0 ? -v : v;
    if (!(a >= 1e-4 && a < 1e16) || (double)(int64_t)a == a ||
        max_chars - 1 < TP_DEFERRED_FLOAT_TEXT_MAX - 1)
        return false;
    char kept[TP_DEFERRED_FLOAT_BYTES];
    kept[0] = TP_DEFERRED_FLOAT;
    memcpy(kept + 1, &v, sizeof v);
    tp_buf_append(out, kept, sizeof kept);
    return true;
#else
    (void)v, (void)max_chars, (void)out;
    return false;   /* float_text.c needs a 128-bit integer type */
#endif
}

/* The recorded text at `s`, NUL-terminated, with its deferred floats
 * written out, appended to `out` (without a NUL of its own). */
void tp_deferred_expand(const char *s, tp_buf *out);

/* Whether the recorded text at `s` holds a deferred float; *plain_len is
 * its length when it holds none. */
bool tp_deferred_any(const char *s, size_t *plain_len);

#endif
