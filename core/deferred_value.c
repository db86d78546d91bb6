#include "deferred_value.h"

#include <stdio.h>

#include "address_text.h"
#include "float_text.h"

bool tp_deferred_any(const char *s, size_t *plain_len)
{
    /* Before the first marker all is text, so the first NUL either ends a
     * text without markers or lies past the first marker. */
    size_t n = strlen(s);
    *plain_len = n;
    return memchr(s, (unsigned char)TP_DEFERRED, n) != NULL;
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

/* The prefix (which ends in "0x"), the address's digits, ">". */
static void put_object(const char *kept, const tp_buf *prefixes, tp_buf *out)
{
    uint32_t at;
    const void *address;
    memcpy(&at, kept, sizeof at);
    memcpy(&address, kept + sizeof at, sizeof address);
    if (!prefixes || at >= prefixes->len) {
        tp_buf_puts(out, "<object>");   /* not reached: a store is never cut short */
        return;
    }
    tp_buf_puts(out, prefixes->data + at);
    char text[TP_ADDRESS_TEXT];
    size_t start = tp_format_address(text, address) + 2;   /* after its "0x" */
    tp_buf_append(out, text + start, TP_ADDRESS_TEXT - start);
    tp_buf_putc(out, '>');
}

void tp_deferred_expand(const char *s, const tp_buf *prefixes, tp_buf *out)
{
    for (;;) {
        size_t n = strlen(s);
        const char *marker = memchr(s, (unsigned char)TP_DEFERRED, n);
        if (!marker) {
            tp_buf_append(out, s, n);
            return;
        }
        tp_buf_append(out, s, (size_t)(marker - s));
        if (marker[1] == TP_DEFERRED_FLOAT) {
            put_float(marker + 2, out);
            s = marker + TP_DEFERRED_FLOAT_BYTES;
        } else {
            put_object(marker + 2, prefixes, out);
            s = marker + TP_DEFERRED_OBJECT_BYTES;
        }
    }
}
