#include "json_str.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static const char hex_digits[] = "0123456789abcdef";

/* UTF-8 of U+FFFD REPLACEMENT CHARACTER */
static const char replacement[] = "\xEF\xBF\xBD";

/* Bytes that can be copied as they are: printable ASCII but the two that
 * JSON reserves. Bytes >= 0x80 are checked as UTF-8 separately. */
static bool is_plain_ascii(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void put_control(tp_buf *out, unsigned char c)
{
    switch (c) {
    case '"':  tp_buf_append(out, "\\\"", 2); return;
    case '\\': tp_buf_append(out, "\\\\", 2); return;
    case '\b': tp_buf_append(out, "\\b", 2); return;
    case '\f': tp_buf_append(out, "\\f", 2); return;
    case '\n': tp_buf_append(out, "\\n", 2); return;
    case '\r': tp_buf_append(out, "\\r", 2); return;
    case '\t': tp_buf_append(out, "\\t", 2); return;
    default: {
        char esc[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xF]};
        tp_buf_append(out, esc, sizeof esc);
    }
    }
}

/* The range the second byte of a sequence may take after lead byte `c`
 * (Unicode table 3-7): the narrow ranges are what exclude overlong forms,
 * UTF-16 surrogates (ED A0..BF) and values above U+10FFFF (F4 90..). */
static size_t utf8_expected_length(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            *lo = 0xA0;
        else if (c == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            *lo = 0x90;
        else if (c == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* Length of the well-formed sequence starting at s, or 0 when there is none;
 * then *bad is the length of the maximal ill-formed prefix (at least 1). */
static size_t utf8_sequence(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char lo, hi;
    size_t need = utf8_expected_length(s[0], &lo, &hi);
    size_t i = 1;
    while (i < need && i < n && s[i] >= lo && s[i] <= hi) {
        i++;
        lo = 0x80;
        hi = 0xBF;
    }
    if (need != 0 && i == need)
        return need;
    *bad = i;
    return 0;
}

void tp_json_string(tp_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    tp_buf_putc(out, '"');
    while (i < n) {
        size_t run = i;
        while (run < n && is_plain_ascii(p[run]))
            run++;
        tp_buf_append(out, p + i, run - i);
        i = run;
        if (i == n)
            break;
        if (p[i] < 0x80) {
            put_control(out, p[i]);
            i++;
            continue;
        }
        size_t bad = 0;
        size_t len = utf8_sequence(p + i, n - i, &bad);
        if (len) {
            tp_buf_append(out, p + i, len);
            i += len;
        } else {
            tp_buf_append(out, replacement, 3);
            i += bad;
        }
    }
    tp_buf_putc(out, '"');
}

/* printf writes the locale's decimal separator (',' in de_DE, a multi-byte
 * one in a few locales); JSON wants '.', whatever the traced app set. */
static bool is_c_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e';
}

static void append_with_c_decimal_point(tp_buf *out, const char *text)
{
    const char *c = text;
    while (*c) {
        if (is_c_number_char(*c)) {
            tp_buf_putc(out, *c++);
            continue;
        }
        tp_buf_putc(out, '.');
        while (*c && !is_c_number_char(*c))
            c++;
    }
}

void tp_json_number(tp_buf *out, double v)
{
    char text[64];
    if (!isfinite(v)) {
        tp_buf_puts(out, "null");
        return;
    }
    if (v == 0 && signbit(v)) {
        tp_buf_puts(out, "-0.0");   /* "-0" would read back as the integer 0 */
        return;
    }
    if (fabs(v) < 9223372036854775808.0 && v == (double)(long long)v) {
        snprintf(text, sizeof text, "%.0f", v);
        tp_buf_puts(out, text);
        return;
    }
    /* Both directions use the same (current) locale, so the round-trip test
     * is sound before the separator is normalized. 17 digits always do. */
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    append_with_c_decimal_point(out, text);
}
