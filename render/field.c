#include "field.h"

#include <stdio.h>

/* Length of the longest prefix of text[0..len) that does not end inside a
 * UTF-8 multi-byte sequence. */
static size_t utf8_safe_prefix(const unsigned char *text, size_t len)
{
    size_t i = len;
    while (i > 0 && len - i < 4 && (text[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && text[i - 1] >= 0xC0) {
        unsigned char lead = text[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (i - 1) < need)
            return i - 1;
    }
    return len;
}

static void put_escaped_byte(tp_buf *out, unsigned char c)
{
    switch (c) {
    case '\n': tp_buf_puts(out, "\\n"); break;
    case '\t': tp_buf_puts(out, "\\t"); break;
    case '\r': tp_buf_puts(out, "\\r"); break;
    default: tp_buf_printf(out, "\\x%02x", c); break;
    }
}

void tp_field_set(tp_buf *out, const unsigned char *text, size_t len, size_t limit)
{
    tp_buf_reset(out);
    tp_buf_reserve(out, 0);   /* so an empty field is "" rather than NULL */
    if (out->data)
        out->data[0] = '\0';
    size_t keep = len;
    if (keep > limit)
        keep = utf8_safe_prefix(text, limit);
    size_t run = 0;
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = text[i];
        if (c >= 0x20 && c != 0x7F)
            continue;
        tp_buf_append(out, text + run, i - run);
        put_escaped_byte(out, c);
        run = i + 1;
    }
    tp_buf_append(out, text + run, keep - run);
    if (keep < len)
        tp_buf_puts(out, "...");
}

void tp_json_escape(tp_buf *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') {
            tp_buf_putc(out, '\\');
            tp_buf_putc(out, (char)*p);
        } else if (*p < 0x20) {
            tp_buf_printf(out, "\\u%04x", *p);
        } else {
            tp_buf_putc(out, (char)*p);
        }
    }
}
