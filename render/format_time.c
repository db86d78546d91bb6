#include "format_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"

/* Beyond this llround() could overflow; such values are shown in seconds
 * without integer rounding. */
#define HUGE_MS 1e15

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
        at = tp_put_decimal(at, (uint64_t)us, 1);
        memcpy(at, "us", 2);
        at += 2;
    } else if (centi_ms < 100000) {
        at = tp_put_decimal(at, (uint64_t)(centi_ms / 100), 1);
        *at++ = '.';
        at = tp_put_decimal(at, (uint64_t)(centi_ms % 100), 2);
        memcpy(at, "ms", 2);
        at += 2;
    } else {
        long long whole_ms = llround(ms);
        at = tp_put_decimal(at, (uint64_t)(whole_ms / 1000), 1);
        *at++ = '.';
        at = tp_put_decimal(at, (uint64_t)(whole_ms % 1000), 3);
        *at++ = 's';
    }
    finish(text, (size_t)(at - text), out, size);
}
