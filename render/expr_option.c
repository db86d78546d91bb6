/* The --where option of tree and stats: parse, or report on one line. */
#include "expr.h"
#include "expr_option.h"

#include <stdio.h>

tp_expr *tp_expr_parse_option(const char *command, const char *text)
{
    tp_expr_error error;
    tp_expr *e = tp_expr_parse(text, &error);
    if (e)
        return e;
    tp_buf line = TP_BUF_INIT;
    tp_expr_describe_error(&line, text, &error);
    fprintf(stderr, "tph %s: --where %s\n", command, tp_buf_cstr(&line));
    tp_buf_free(&line);
    return NULL;
}
