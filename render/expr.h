/* Filter expressions: `tph tree --where`, `tph stats --where` and the
 * filter of `tph tui` (docs/filters.md). An expression is parsed once into
 * a small tree of comparisons joined by and/or/not, then evaluated per call.
 *
 * Evaluation comes in two steps because a streaming reader knows a call's
 * text when the call starts but its elapsed and self time only when it
 * ends: tp_expr_early() evaluates every comparison on a field known at the
 * start into a bit set (one bit per comparison, at most TP_EXPR_MAX_ATOMS),
 * and tp_expr_finish() evaluates the rest and combines. tp_expr_match()
 * does both when everything is known at once. */
#ifndef TPH_EXPR_H
#define TPH_EXPR_H

#include "buf.h"
#include "reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TP_EXPR_MAX_ATOMS 64      /* comparisons in one expression */
#define TP_EXPR_MAX_NESTING 64    /* parentheses and `not` inside each other */
#define TP_EXPR_MAX_LEN 4096      /* bytes of expression text */

/* One call's values as the expression sees them. A NULL text or a false
 * has_* flag means the call does not have the field. */
typedef struct tp_expr_call {
    const char *name, *qualname, *module, *file;
    const char *args, *return_value, *exception;
    unsigned depth;
    int64_t thread;
    double elapsed_ms, self_ms;
    bool has_thread, has_elapsed, has_self;
} tp_expr_call;

/* Where and why parsing failed: `position` counts bytes from 1. */
typedef struct tp_expr_error {
    size_t position;
    char message[160];
} tp_expr_error;

typedef struct tp_expr tp_expr;

/* NULL with `error` filled when the text is not a valid expression (or
 * memory ran out). */
tp_expr *tp_expr_parse(const char *text, tp_expr_error *error);
void tp_expr_free(tp_expr *expr);

/* Results of the comparisons on fields known when a call starts (all but
 * elapsed_ms and self_ms). */
uint64_t tp_expr_early(const tp_expr *expr, const tp_expr_call *call);

/* Evaluates the comparisons on elapsed_ms and self_ms and combines them
 * with `early` (from tp_expr_early on the same call). */
bool tp_expr_finish(const tp_expr *expr, uint64_t early, const tp_expr_call *call);

bool tp_expr_match(const tp_expr *expr, const tp_expr_call *call);

/* The start-of-call fields of a reader node (elapsed and self unset). */
void tp_expr_call_from_node(tp_expr_call *call, const tp_node *node);

/* "EXPR: MESSAGE at position N" on one line, control characters escaped. */
void tp_expr_describe_error(tp_buf *out, const char *text, const tp_expr_error *error);

#endif
