/* libFuzzer harness for filter expressions: any bytes either parse or give
 * an error with a position inside the text (+1 for "at the end"), and a
 * parsed expression evaluates on calls with and without fields. */
#include "expr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void evaluate(const tp_expr *e)
{
    tp_expr_call full = {
        .name = "load", .qualname = "Store.load", .module = "app.db", .file = "/app/db.py",
        .args = "key='100%'", .return_value = "None", .exception = "KeyError: 'x'",
        .depth = 2, .thread = 7, .has_thread = true, .elapsed_ms = 1.5, .self_ms = 0.5,
        .has_elapsed = true, .has_self = true,
    };
    tp_expr_call empty;
    memset(&empty, 0, sizeof empty);
    (void)tp_expr_match(e, &full);
    (void)tp_expr_finish(e, tp_expr_early(e, &empty), &full);
    (void)tp_expr_match(e, &empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    tp_expr_error error;
    tp_expr *e = tp_expr_parse(text, &error);
    if (e) {
        evaluate(e);
        tp_expr_free(e);
    } else {
        if (error.position < 1 || error.position > strlen(text) + 1 || !error.message[0])
            abort();
        tp_buf line = TP_BUF_INIT;
        tp_expr_describe_error(&line, text, &error);
        tp_buf_free(&line);
    }
    free(text);
    return 0;
}
