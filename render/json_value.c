#include "json_value.h"
#include "field.h"

#include <string.h>

void tp_text_append(tp_buf *out, const char *text)
{
    tp_buf safe = TP_BUF_INIT;
    tp_field_set(&safe, (const unsigned char *)text, strlen(text), (size_t)-1);
    tp_buf_puts(out, tp_buf_cstr(&safe));
    tp_buf_free(&safe);
}

static void append_number(tp_buf *out, yajl_val v)
{
    if (YAJL_IS_INTEGER(v))
        tp_buf_printf(out, "%lld", v->u.number.i);
    else if (v->u.number.flags & YAJL_NUMBER_DOUBLE_VALID)
        tp_buf_printf(out, "%.15g", v->u.number.d);
    else
        tp_buf_puts(out, v->u.number.r);
}

void tp_value_append(tp_buf *out, yajl_val v, bool bare_string)
{
    if (!v || YAJL_IS_NULL(v)) {
        tp_buf_puts(out, "null");
    } else if (YAJL_IS_STRING(v)) {
        if (bare_string) {
            tp_text_append(out, v->u.string);
        } else {
            tp_buf_putc(out, '"');
            tp_json_escape(out, v->u.string);
            tp_buf_putc(out, '"');
        }
    } else if (YAJL_IS_NUMBER(v)) {
        append_number(out, v);
    } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
        tp_buf_puts(out, YAJL_IS_TRUE(v) ? "true" : "false");
    } else if (YAJL_IS_ARRAY(v)) {
        tp_buf_putc(out, '[');
        for (size_t i = 0; i < v->u.array.len; i++) {
            if (i)
                tp_buf_puts(out, ", ");
            tp_value_append(out, v->u.array.values[i], false);
        }
        tp_buf_putc(out, ']');
    } else if (YAJL_IS_OBJECT(v)) {
        tp_buf_putc(out, '{');
        for (size_t i = 0; i < v->u.object.len; i++) {
            tp_buf_printf(out, "%s\"", i ? ", " : "");
            tp_json_escape(out, v->u.object.keys[i]);
            tp_buf_puts(out, "\": ");
            tp_value_append(out, v->u.object.values[i], false);
        }
        tp_buf_putc(out, '}');
    }
}
