#include "tui_line.h"
#include "format_time.h"

#include <stdio.h>
#include <string.h>

void tui_line_elapsed(char *out, size_t size, const tui_node *n, bool self)
{
    if (!(n->flags & TUI_HAS_ELAPSED)) {
        snprintf(out, size, "?");
        return;
    }
    tp_format_elapsed(self ? n->self_ms : n->elapsed_ms, out, size);
}

void tui_line_text(tp_buf *out, const tui_node *n)
{
    tp_buf_reset(out);
    tp_buf_puts(out, n->func->display);
    const char *args = tui_node_args(n);
    tp_buf_putc(out, '(');
    if (args)
        tp_buf_puts(out, args);
    tp_buf_putc(out, ')');
    const char *exception = tui_node_exception(n), *ret = tui_node_return(n);
    if (exception) {
        tp_buf_puts(out, " !! ");
        tp_buf_puts(out, exception);
    } else if (ret) {
        tp_buf_puts(out, " -> ");
        tp_buf_puts(out, ret);
    }
    char elapsed[32];
    tui_line_elapsed(elapsed, sizeof elapsed, n, false);
    tp_buf_printf(out, "  [%s%s]", (n->flags & TUI_ENDED) ? elapsed : "running",
                  (n->flags & TUI_UNFINISHED) ? ", unfinished" : "");
}

void tui_line_expr_call(tp_expr_call *call, const tui_model *m, const tui_node *n)
{
    memset(call, 0, sizeof *call);
    call->name = n->func->name;
    call->qualname = n->func->qualname;
    call->module = n->func->module;
    call->file = n->func->file;
    call->args = tui_node_args(n);
    call->return_value = tui_node_return(n);
    call->exception = tui_node_exception(n);
    call->depth = n->depth;
    call->has_thread = (n->flags & TUI_HAS_THREAD) != 0;
    call->thread = call->has_thread ? tui_model_thread(m, n->thread).ident : 0;
    call->has_elapsed = call->has_self = (n->flags & TUI_HAS_ELAPSED) != 0;
    call->elapsed_ms = n->elapsed_ms;
    call->self_ms = n->self_ms;
}
