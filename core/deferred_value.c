#include "deferred_value.h"

#include <stdio.h>

#include "float_text.h"

bool tp_deferred_any(const char *s, size_t *plain_len)
{
    /* Before the first marker all is text, so the first NUL either ends a
     * text without markers or lies past the first marker. */
    size_t n = strlen(s);
    *plain_len = n;
    return memchr(s, (unsigned char)TP_DEFERRED_FLOAT, n) != NULL;
}

static void put_float(const char *kept, tp_buf *out)
{
    double v;
    memcpy(&v, kept, sizeof v);
    char text[TP_FLOAT_TEXT_MAX];
    size_t n = tp_float_text_fixed(v, text);
    /* tp_defer_float took v only in the range where float_text.c has an
     * answer; should it ever have none, 17 digits still read back as v. */
    if (n == 0)
        n = (size_t)snprintf(text, sizeof text, "%.17g", v);
    tp_buf_append(out, text, n);
}

void tp_deferred_expand(const char *s, tp_buf *out)
{
    for (;;) {
        size_t n = strlen(s);
        const char *marker = memchr(s, (unsigned char)TP_DEFERRED_FLOAT, n);
        if (!marker) {
            tp_buf_append(out, s, n);
            return;
        }
        tp_buf_append(out, s, (size_t)(marker - s));
        put_float(marker + 1, out);
        s = marker + TP_DEFERRED_FLOAT_BYTES;
    }
}
