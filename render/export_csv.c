/* CSV (RFC 4180), one row per call in pre-order: its position, its
 * caller's position (empty for a root), depth, thread, names, source,
 * start (seconds since the epoch), elapsed, and the texts. */
#include "call_stack.h"
#include "export.h"
#include "reader.h"

#include <inttypes.h>
#include <string.h>

#define CSV_HEADER "index,parent,depth,thread,module,qualname,kind,file,lineno,start,elapsed_ms," \
                   "unfinished,args,return_value,exception\r\n"

struct csv {
    tp_sink *out;
    tp_call_stack stack;
};

static void put_field(tp_buf *b, const char *text, bool last)
{
    if (text && strpbrk(text, ",\"\r\n")) {
        tp_buf_putc(b, '"');
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                tp_buf_putc(b, '"');
            tp_buf_putc(b, *p);
        }
        tp_buf_putc(b, '"');
    } else if (text) {
        tp_buf_puts(b, text);
    }
    tp_buf_puts(b, last ? "\r\n" : ",");
}

static void csv_begin(const tp_node *node, void *ctx)
{
    struct csv *c = ctx;
    const tp_call_frame *parent = tp_call_top(&c->stack);
    uint64_t parent_index = parent ? parent->index : 0;
    const tp_call_frame *f = tp_call_push(&c->stack, node);
    if (!f)
        return;
    tp_buf *b = &c->out->buf;
    tp_buf_printf(b, "%" PRIu64 ",", node->index);
    if (node->depth)
        tp_buf_printf(b, "%" PRIu64, parent_index);
    tp_buf_printf(b, ",%u,%" PRId64 ",", node->depth, f->thread.ident);
    put_field(b, node->module, false);
    put_field(b, node->qualname ? node->qualname : node->name, false);
    put_field(b, node->kind, false);
    put_field(b, node->file, false);
    if (node->has_lineno)
        tp_buf_printf(b, "%" PRId64, node->lineno);
    tp_buf_putc(b, ',');
    if (node->has_start)
        tp_buf_printf(b, "%.6f", node->start);
    tp_buf_printf(b, ",%.3f,%s,", f->elapsed_ms, node->unfinished ? "true" : "false");
    put_field(b, node->args, false);
    put_field(b, node->return_value, false);
    put_field(b, node->exception, true);
    tp_sink_maybe_flush(c->out);
}

static void csv_end(const tp_node_end *end, void *ctx)
{
    struct csv *c = ctx;
    tp_call_frame f;
    (void)end;
    tp_call_pop(&c->stack, &f);
}

int tp_export_csv(const char *path, const tp_header *h, tp_sink *out, tp_buf *err)
{
    struct csv c = {out, TP_CALL_STACK_INIT};
    tp_header full;
    (void)h;
    tp_header_init(&full);
    tp_buf_puts(&out->buf, CSV_HEADER);
    tp_reader_callbacks cb = {csv_begin, csv_end, &c, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    if (rc == 0 && c.stack.failed) {
        tp_buf_printf(err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    tp_header_free(&full);
    tp_call_stack_free(&c.stack);
    return rc;
}
