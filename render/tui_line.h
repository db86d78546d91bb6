/* The text of one call as `tph tui` shows it, and what search and the
 * filter see of it. */
#ifndef TPH_TUI_LINE_H
#define TPH_TUI_LINE_H

#include "expr.h"
#include "tui_model.h"

/* "module.qualname(args) -> return  [elapsed]" (or "!! exception"),
 * replacing the contents of `out`. */
void tui_line_text(tp_buf *out, const tui_node *n);

/* The fields of a call for a filter expression (all of them, the call's
 * end included when it has ended). */
void tui_line_expr_call(tp_expr_call *call, const tui_model *m, const tui_node *n);

/* "12.50ms", or "?" when unknown. */
void tui_line_elapsed(char *out, size_t size, const tui_node *n, bool self);

#endif
