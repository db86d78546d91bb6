#include "format_time.h"

#include <math.h>
#include <stdio.h>

/* Beyond this llround() could overflow; such values are shown in seconds
 * without integer rounding. */
#define HUGE_MS 1e15

void tp_format_elapsed(double ms, char *out, size_t size)
{
    if (isnan(ms)) {
        snprintf(out, size, "?");
        return;
    }
    const char *sign = "";
    if (ms < 0) {
        sign = "-";
        ms = -ms;
    }
    if (ms >= HUGE_MS) {
        snprintf(out, size, "%s%.0fs", sign, ms / 1000.0);
        return;
    }
    long long us = llround(ms * 1000.0);
    if (us < 1000) {
        snprintf(out, size, "%s%lldus", sign, us);
        return;
    }
    long long centi_ms = llround(ms * 100.0);
    if (centi_ms < 100000) {
        snprintf(out, size, "%s%lld.%02lldms", sign, centi_ms / 100, centi_ms % 100);
        return;
    }
    long long whole_ms = llround(ms);
    snprintf(out, size, "%s%lld.%03llds", sign, whole_ms / 1000, whole_ms % 1000);
}
