/* TOML values as Python expressions. Strings are double-quoted with the
 * escapes Python reads back to the same text; the runner is UTF-8. */
#include "setup_literal.h"

#include <string.h>

void tp_python_string(const char *s, tp_buf *out)
{
    tp_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            tp_buf_printf(out, "\\%c", *p);
        else if (*p == '\n')
            tp_buf_puts(out, "\\n");
        else if (*p == '\t')
            tp_buf_puts(out, "\\t");
        else if (*p == '\r')
            tp_buf_puts(out, "\\r");
        else if (*p < 0x20 || *p == 0x7f)
            tp_buf_printf(out, "\\x%02x", *p);
        else
            tp_buf_putc(out, (char)*p);
    }
    tp_buf_putc(out, '"');
}

/* inf, +inf, -nan ... -> float("inf"), float("-nan"). */
static void float_literal(const char *text, tp_buf *out)
{
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    if (strcmp(digits, "inf") == 0 || strcmp(digits, "nan") == 0)
        tp_buf_printf(out, "float(\"%s\")", text);
    else
        tp_buf_puts(out, text);
}

static void container_literal(const tp_tvalue *v, tp_buf *out)
{
    bool table = v->kind == TP_TV_TABLE;
    tp_buf_putc(out, table ? '{' : '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            tp_buf_puts(out, ", ");
        if (table) {
            tp_python_string(v->keys[i], out);
            tp_buf_puts(out, ": ");
        }
        tp_python_literal(&v->items[i], out);
    }
    tp_buf_putc(out, table ? '}' : ']');
}

void tp_python_literal(const tp_tvalue *v, tp_buf *out)
{
    switch (v->kind) {
    case TP_TV_STRING:
        tp_python_string(v->text, out);
        break;
    case TP_TV_INTEGER:
        tp_buf_puts(out, v->text);
        break;
    case TP_TV_FLOAT:
        float_literal(v->text, out);
        break;
    case TP_TV_BOOL:
        tp_buf_puts(out, strcmp(v->text, "true") == 0 ? "True" : "False");
        break;
    case TP_TV_ARRAY:
    case TP_TV_TABLE:
        container_literal(v, out);
        break;
    }
}
