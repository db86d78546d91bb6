#include "format_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Beyond this llround() could overflow; such values are shown in seconds
 * without integer rounding. */
#define HUGE_MS 1e15

/* Appends the decimal digits of v, at least `width` of them (zero-padded). */
static char *put_digits(char *at, unsigned long long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n > 0)
        *at++ = tmp[--n];
    return at;
}

/* Copies like snprintf would: cut to size - 1 bytes, always terminated. */
static void finish(const char *text, size_t len, char *out, size_t size)
{
    if (size == 0)
        return;
    if (len >= size)
        len = size - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

/* Called for every line tph tree prints, so the digits are written by hand
 * rather than through snprintf. */
void tp_format_elapsed(double ms, char *out, size_t size)
{
    char text[64], *at = text;
    if (isnan(ms)) {
        finish("?", 1, out, size);
        return;
    }
    if (ms < 0) {
        *at++ = '-';
        ms = -ms;
    }
    if (ms >= HUGE_MS) {
        int n = snprintf(at, sizeof text - 1, "%.0fs", ms / 1000.0);
        finish(text, (size_t)(at - text) + (n > 0 ? (size_t)n : 0), out, size);
        return;
    }
    long long us = llround(ms * 1000.0), centi_ms = llround(ms * 100.0);
    if (us < 1000) {
        at = put_digits(at, (unsigned long long)us, 1);
        memcpy(at, "us", 2);
        at += 2;
    } else if (centi_ms < 100000) {
        at = put_digits(at, (unsigned long long)(centi_ms / 100), 1);
        *at++ = '.';
        at = put_digits(at, (unsigned long long)(centi_ms % 100), 2);
        memcpy(at, "ms", 2);
        at += 2;
    } else {
        long long whole_ms = llround(ms);
        at = put_digits(at, (unsigned long long)(whole_ms / 1000), 1);
        *at++ = '.';
        at = put_digits(at, (unsigned long long)(whole_ms % 1000), 3);
        *at++ = 's';
    }
    finish(text, (size_t)(at - text), out, size);
}
