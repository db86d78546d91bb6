/* Chrome trace-event JSON (chrome://tracing, Perfetto): one complete
 * ("X") event per call, timestamps in microseconds since the epoch, one
 * track per thread (tid = the kernel thread id), the call's arguments,
 * return value or exception and source as event args, then thread and
 * process names as metadata events. */
#include "call_stack.h"
#include "export.h"
#include "field.h"
#include "node_match.h"
#include "reader.h"
#include "trace_threads.h"

#include <inttypes.h>

struct chrome {
    const tp_header *h;
    tp_sink *out;
    tp_call_stack stack;
    tp_buf name;
    int64_t pid;
    uint64_t events;
};

static void put_string_arg(tp_buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    tp_buf_printf(b, ", \"%s\": \"", key);
    tp_json_escape(b, value);
    tp_buf_putc(b, '"');
}

static void chrome_begin(const tp_node *node, void *ctx)
{
    struct chrome *c = ctx;
    const tp_call_frame *f = tp_call_push(&c->stack, node);
    if (!f)
        return;
    tp_node_display_name(&c->name, node);
    tp_buf *b = &c->out->buf;
    tp_buf_printf(b, "%s\n{\"name\": \"", c->events++ ? "," : "");
    tp_json_escape(b, tp_buf_cstr(&c->name));
    tp_buf_printf(b, "\", \"cat\": \"python\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, "
                  "\"pid\": %" PRId64 ", \"tid\": %" PRId64 ", \"args\": {\"index\": %" PRIu64,
                  f->start_ms * 1000.0,
                  f->elapsed_ms * 1000.0, c->pid, tp_thread_native_id(c->h, f->thread), node->index);
    put_string_arg(b, "args", node->args);
    put_string_arg(b, "return_value", node->return_value);
    put_string_arg(b, "exception", node->exception);
    put_string_arg(b, "kind", node->kind);
    put_string_arg(b, "file", node->file);
    if (node->has_lineno)
        tp_buf_printf(b, ", \"lineno\": %" PRId64, node->lineno);
    if (node->unfinished)
        tp_buf_puts(b, ", \"unfinished\": true");
    tp_buf_puts(b, "}}");
    tp_sink_maybe_flush(c->out);
}

static void chrome_end(const tp_node_end *end, void *ctx)
{
    struct chrome *c = ctx;
    tp_call_frame f;
    (void)end;
    tp_call_pop(&c->stack, &f);
}

static void put_metadata(struct chrome *c)
{
    tp_buf *b = &c->out->buf;
    yajl_val threads = tp_header_get(c->h, "threads");
    for (size_t i = 0; YAJL_IS_ARRAY(threads) && i < threads->u.array.len; i++) {
        tp_thread_ref thread;
        if (!tp_header_thread_entry_ref(threads->u.array.values[i], &thread))
            continue;
        tp_buf_printf(b, "%s\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %" PRId64
                      ", \"tid\": %" PRId64 ", \"args\": {\"name\": \"", c->events++ ? "," : "",
                      c->pid, tp_thread_native_id(c->h, thread));
        tp_buf_reset(&c->name);
        tp_thread_label(&c->name, c->h, thread);
        tp_json_escape(b, tp_buf_cstr(&c->name));
        tp_buf_puts(b, "\"}}");
    }
    const char *label = tp_header_str(c->h, "label");
    tp_buf_printf(b, "%s\n{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %" PRId64
                  ", \"args\": {\"name\": \"", c->events++ ? "," : "", c->pid);
    tp_json_escape(b, label && *label ? label : "python");
    tp_buf_printf(b, " (pid %" PRId64 ")\"}}", c->pid);
}

int tp_export_chrome(const char *path, const tp_header *h, tp_sink *out, tp_buf *err)
{
    struct chrome c = {h, out, TP_CALL_STACK_INIT, TP_BUF_INIT, 0, 0};
    if (!tp_header_int(h, "pid", &c.pid))
        c.pid = 0;
    tp_header full;
    tp_header_init(&full);
    tp_buf_puts(&out->buf, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [");
    tp_reader_callbacks cb = {chrome_begin, chrome_end, &c, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    if (rc == 0 && c.stack.failed) {
        tp_buf_printf(err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    if (rc == 0) {
        put_metadata(&c);
        tp_buf_puts(&out->buf, "\n]}\n");
    }
    tp_header_free(&full);
    tp_call_stack_free(&c.stack);
    tp_buf_free(&c.name);
    return rc;
}
