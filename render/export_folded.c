/* Folded stacks (flamegraph.pl, inferno, speedscope): one line per
 * distinct stack, "thread;module.f;module.g SELF_US", where SELF_US is the
 * self time in microseconds summed over every call with that stack. Self
 * times are computed on microsecond-rounded elapsed times, so the lines add
 * up to the roots' rounded elapsed times exactly (unless a child outlasts
 * its parent). Lines come in order of first appearance; a ';' inside a
 * name becomes ':'.
 *
 * A stack is kept as its innermost name and the stack it extends, both
 * numbers, not as its text: memory grows with the number of distinct
 * stacks, not with their length, which a deep recursion makes quadratic
 * (90,000 levels: 9 GB of text). The text is written out at the end. */
#include "call_stack.h"
#include "export.h"
#include "grow.h"
#include "node_match.h"
#include "reader.h"
#include "strmap.h"
#include "trace_threads.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NO_STACK ((size_t)-1)

/* One distinct stack: `parent` plus the frame `name`. */
struct stack {
    size_t parent, name;
    int64_t total;      /* self time, microseconds; 0 until listed in `order` */
};

struct folded {
    const tp_header *h;
    tp_call_stack stack;  /* frame->mark: the open call's stack */
    tp_buf name, key;     /* one frame's name; one map key */
    tp_strmap names;      /* frame name -> number */
    tp_strmap stacks;     /* "parent/name" -> index in `all` */
    struct stack *all;
    size_t count, cap;
    size_t *order;        /* stacks with a total, in order of their first */
    size_t listed, order_cap;
    bool failed;
};

/* The stack `parent` extended by the frame named `name`; NO_STACK when out
 * of memory. */
static size_t extend(struct folded *f, size_t parent, const char *name)
{
    size_t name_id, id;
    bool added;
    if (!tp_strmap_intern(&f->names, name, f->names.count, &name_id, &added))
        return NO_STACK;
    tp_buf_reset(&f->key);
    tp_buf_printf(&f->key, "%zx/%zx", parent + 1, name_id);
    if (f->key.failed || !tp_strmap_intern(&f->stacks, tp_buf_cstr(&f->key), f->count, &id, &added))
        return NO_STACK;
    if (added) {
        if (!tp_grow((void **)&f->all, f->count, &f->cap, sizeof *f->all, 256))
            return NO_STACK;
        f->all[f->count++] = (struct stack){parent, name_id, 0};
    }
    return id;
}

static void folded_begin(const tp_node *node, void *ctx)
{
    struct folded *f = ctx;
    tp_call_frame *frame = tp_call_push(&f->stack, node);
    if (!frame)
        return;
    size_t parent;
    if (node->depth == 0) {
        tp_buf_reset(&f->name);
        tp_thread_label(&f->name, f->h, frame->thread);
        parent = extend(f, NO_STACK, tp_buf_cstr(&f->name));
    } else {
        parent = f->stack.frames[f->stack.depth - 2].mark;
    }
    tp_node_display_name(&f->name, node);
    frame->mark = parent == NO_STACK ? NO_STACK : extend(f, parent, tp_buf_cstr(&f->name));
    if (frame->mark == NO_STACK)
        f->failed = true;
}

/* `us` > 0: a stack's first total lists it. */
static bool add_total(struct folded *f, size_t id, int64_t us)
{
    struct stack *s = &f->all[id];
    if (s->total == 0) {
        if (!tp_grow((void **)&f->order, f->listed, &f->order_cap, sizeof *f->order, 256))
            return false;
        f->order[f->listed++] = id;
    }
    s->total += us;
    return true;
}

static void folded_end(const tp_node_end *end, void *ctx)
{
    struct folded *f = ctx;
    tp_call_frame frame;
    (void)end;
    if (!tp_call_pop(&f->stack, &frame) || frame.mark == NO_STACK)
        return;
    int64_t self = tp_call_self_us(&frame);
    if (self > 0 && !add_total(f, frame.mark, self))
        f->failed = true;
}

static void append_frame(tp_buf *out, const char *name)
{
    for (const char *p = name; *p; p++)
        tp_buf_putc(out, *p == ';' ? ':' : *p);
}

/* "thread;module.f;module.g": the stack's names from the outermost in. */
static bool write_stack(const struct folded *f, const char **name_of, size_t id, size_t **path,
                        size_t *path_cap, tp_buf *out)
{
    size_t n = 0;
    for (size_t at = id; at != NO_STACK; at = f->all[at].parent) {
        if (!tp_grow((void **)path, n, path_cap, sizeof **path, 256))
            return false;
        (*path)[n++] = f->all[at].name;
    }
    while (n-- > 0) {
        append_frame(out, name_of[(*path)[n]]);
        if (n > 0)
            tp_buf_putc(out, ';');
    }
    return true;
}

static void write_lines(struct folded *f, tp_sink *out)
{
    const char **name_of = calloc(f->names.count ? f->names.count : 1, sizeof *name_of);
    size_t *path = NULL, path_cap = 0;
    bool ok = name_of != NULL;
    for (size_t i = 0; ok && i < f->names.cap; i++)
        if (f->names.keys[i])
            name_of[f->names.values[i]] = f->names.keys[i];
    for (size_t i = 0; ok && i < f->listed; i++) {
        ok = write_stack(f, name_of, f->order[i], &path, &path_cap, &out->buf);
        if (!ok)
            break;
        tp_buf_printf(&out->buf, " %" PRId64 "\n", f->all[f->order[i]].total);
        tp_sink_maybe_flush(out);
    }
    if (!ok && !out->failed) {   /* a stack's path could not grow */
        out->failed = true;
        out->error = ENOMEM;
    }
    free(path);
    free(name_of);
}

int tp_export_folded(const char *path, const tp_header *h, tp_sink *out, tp_buf *err)
{
    struct folded f = {.h = h, .stack = TP_CALL_STACK_INIT, .name = TP_BUF_INIT,
                       .key = TP_BUF_INIT, .names = TP_STRMAP_INIT, .stacks = TP_STRMAP_INIT};
    tp_header full;
    tp_header_init(&full);
    tp_reader_callbacks cb = {folded_begin, folded_end, &f, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    if (rc == 0 && (f.failed || f.stack.failed || f.name.failed)) {
        tp_buf_printf(err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    if (rc == 0)
        write_lines(&f, out);
    tp_header_free(&full);
    tp_call_stack_free(&f.stack);
    tp_buf_free(&f.name);
    tp_buf_free(&f.key);
    tp_strmap_free(&f.names);
    tp_strmap_free(&f.stacks);
    free(f.all);
    free(f.order);
    return rc;
}
