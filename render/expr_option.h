/* --where EXPR on a command line. */
#ifndef TPH_EXPR_OPTION_H
#define TPH_EXPR_OPTION_H

#include "expr.h"

/* The parsed expression, or NULL after printing
 * `tph COMMAND: --where "EXPR": what is wrong at position N` to stderr
 * (the caller exits with status 2). */
tp_expr *tp_expr_parse_option(const char *command, const char *text);

#endif
