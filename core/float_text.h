/* The text float.__repr__ prints for a double, computed with integer
 * arithmetic instead of dtoa, for the range where repr uses positional
 * notation. */
#ifndef TP_FLOAT_TEXT_H
#define TP_FLOAT_TEXT_H

#include <stddef.h>

/* Long enough for every text tp_float_text_fixed writes, with its NUL,
 * and for the fixed-size copies it makes (at most 1 + 16 + 1 + 24 bytes);
 * bytes past the NUL are scratch. */
#define TP_FLOAT_TEXT_MAX 48

/* Writes repr(v) into `text` (NUL-terminated) and returns its length, when v
 * is finite, not a whole number and 1e-4 <= |v| < 1e16: the shortest
 * decimal that reads back as v, nearest to v when several are as short, as
 * dtoa's mode 0 (Python's float_repr) picks it. Returns 0 for every other
 * v, and on compilers without a 128-bit integer type: the caller then asks
 * Python. */
size_t tp_float_text_fixed(double v, char text[TP_FLOAT_TEXT_MAX]);

/* "00" "01" ... "99": decimal text two digits a step (ints use it too). */
extern const char tp_digit_pairs[201];

#endif
