/* Folded stacks (flamegraph.pl, inferno, speedscope): one line per
 * distinct stack, "thread;module.f;module.g SELF_US", where SELF_US is the
 * self time in microseconds summed over every call with that stack. Self
 * times are computed on microsecond-rounded elapsed times, so the lines add
 * up to the roots' rounded elapsed times exactly (unless a child outlasts
 * its parent). Lines come in order of first appearance; a ';' inside a
 * name becomes ':'. Memory grows with the number of distinct stacks. */
#include "call_stack.h"
#include "export.h"
#include "node_match.h"
#include "reader.h"
#include "strmap.h"
#include "trace_threads.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct folded {
    const tp_header *h;
    tp_call_stack stack;
    tp_buf path, name;    /* the open stack as text; one frame's name */
    tp_strmap index;      /* stack text -> position in `totals` */
    int64_t *totals;
    size_t count, cap;
    bool failed;
};

static void append_frame(tp_buf *path, const char *name)
{
    for (const char *p = name; *p; p++)
        tp_buf_putc(path, *p == ';' ? ':' : *p);
}

static void folded_begin(const tp_node *node, void *ctx)
{
    struct folded *f = ctx;
    tp_call_frame *frame = tp_call_push(&f->stack, node);
    if (!frame)
        return;
    frame->mark = f->path.len;
    if (node->depth == 0) {
        tp_buf_reset(&f->name);
        tp_thread_label(&f->name, f->h, frame->thread);
        append_frame(&f->path, tp_buf_cstr(&f->name));
    }
    tp_buf_putc(&f->path, ';');
    tp_node_display_name(&f->name, node);
    append_frame(&f->path, tp_buf_cstr(&f->name));
}

static bool add_total(struct folded *f, const char *stack, int64_t us)
{
    size_t at;
    bool added;
    if (!tp_strmap_intern(&f->index, stack, f->count, &at, &added))
        return false;
    if (added) {
        if (f->count == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 256;
            int64_t *totals = realloc(f->totals, cap * sizeof *totals);
            if (!totals)
                return false;
            f->totals = totals;
            f->cap = cap;
        }
        f->totals[f->count++] = 0;
    }
    f->totals[at] += us;
    return true;
}

static void folded_end(const tp_node_end *end, void *ctx)
{
    struct folded *f = ctx;
    tp_call_frame frame;
    (void)end;
    if (!tp_call_pop(&f->stack, &frame))
        return;
    int64_t self = tp_call_self_us(&frame);
    if (self > 0 && !add_total(f, tp_buf_cstr(&f->path), self))
        f->failed = true;
    f->path.len = frame.mark;
    if (f->path.data)
        f->path.data[f->path.len] = '\0';
}

/* The map is unordered: recover first-appearance order from the values. */
static void write_lines(struct folded *f, tp_sink *out)
{
    const char **keys = calloc(f->count ? f->count : 1, sizeof *keys);
    if (!keys) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < f->index.cap; i++)
        if (f->index.keys[i])
            keys[f->index.values[i]] = f->index.keys[i];
    for (size_t i = 0; i < f->count; i++) {
        tp_buf_printf(&out->buf, "%s %" PRId64 "\n", keys[i], f->totals[i]);
        tp_sink_maybe_flush(out);
    }
    free(keys);
}

int tp_export_folded(const char *path, const tp_header *h, tp_sink *out, tp_buf *err)
{
    struct folded f = {h, TP_CALL_STACK_INIT, TP_BUF_INIT, TP_BUF_INIT, TP_STRMAP_INIT,
                       NULL, 0, 0, false};
    tp_header full;
    tp_header_init(&full);
    tp_reader_callbacks cb = {folded_begin, folded_end, &f, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    if (rc == 0 && (f.failed || f.stack.failed || f.path.failed)) {
        tp_buf_printf(err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    if (rc == 0)
        write_lines(&f, out);
    tp_header_free(&full);
    tp_call_stack_free(&f.stack);
    tp_buf_free(&f.path);
    tp_buf_free(&f.name);
    tp_strmap_free(&f.index);
    free(f.totals);
    return rc;
}
