/* Decimal digits of an unsigned integer, without printf: the trace writer
 * prints a dozen numbers a call with it, tph its times. */
#ifndef TP_DECIMAL_H
#define TP_DECIMAL_H

#include <stdint.h>

/* Room for any uint64_t (20 digits) at any width up to 24. */
#define TP_DECIMAL_MAX 24

/* Writes the digits of v at `at`, at least `width` (<= TP_DECIMAL_MAX) of
 * them, zeros in front; returns the end (no NUL). */
static inline char *tp_put_decimal(char *at, uint64_t v, int width)
{
    char tmp[TP_DECIMAL_MAX];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n > 0)
        *at++ = tmp[--n];
    return at;
}

#endif
