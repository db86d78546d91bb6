/* speedscope's file format: one "evented" profile per thread (open and
 * close events in milliseconds since the trace's first call) over a shared
 * frame table (function name, file, line). The first pass collects the
 * frames and threads; then one pass per thread writes its events, so
 * memory grows with the number of distinct frames, not with calls. */
#include "call_stack.h"
#include "export.h"
#include "field.h"
#include "node_match.h"
#include "reader.h"
#include "strmap.h"
#include "trace_threads.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct thread_span {
    tp_thread_ref thread;
    double end_ms;
};

struct speedscope {
    const tp_header *h;
    tp_sink *out;
    tp_call_stack stack;
    tp_buf name, key;
    tp_strmap frames;            /* JSON-escaped "name\x1ffile\x1fline" -> index */
    struct thread_span *threads;
    size_t n_threads, threads_cap;
    double t0_ms, last_at;
    bool has_t0, active, failed;
    tp_thread_ref wanted;        /* the thread this pass writes */
    uint64_t events;
};

static void frame_key(struct speedscope *s, const tp_node *node)
{
    tp_node_display_name(&s->name, node);
    tp_buf_reset(&s->key);
    tp_json_escape(&s->key, tp_buf_cstr(&s->name));
    tp_buf_putc(&s->key, '\x1f');
    tp_json_escape(&s->key, node->file ? node->file : "");
    tp_buf_printf(&s->key, "\x1f%" PRId64, node->has_lineno ? node->lineno : 0);
}

static struct thread_span *find_thread(struct speedscope *s, tp_thread_ref thread)
{
    for (size_t i = 0; i < s->n_threads; i++)
        if (tp_thread_ref_equal(s->threads[i].thread, thread))
            return &s->threads[i];
    if (s->n_threads == s->threads_cap) {
        size_t cap = s->threads_cap ? s->threads_cap * 2 : 8;
        struct thread_span *t = realloc(s->threads, cap * sizeof *t);
        if (!t)
            return NULL;
        s->threads = t;
        s->threads_cap = cap;
    }
    s->threads[s->n_threads] = (struct thread_span){thread, 0};
    return &s->threads[s->n_threads++];
}

static void collect_begin(const tp_node *node, void *ctx)
{
    struct speedscope *s = ctx;
    const tp_call_frame *f = tp_call_push(&s->stack, node);
    size_t ignored;
    bool added;
    frame_key(s, node);
    if (!f || s->key.failed ||
        !tp_strmap_intern(&s->frames, tp_buf_cstr(&s->key), s->frames.count, &ignored, &added)) {
        s->failed = true;
        return;
    }
    if (node->depth != 0)
        return;
    struct thread_span *t = find_thread(s, f->thread);
    if (!t) {
        s->failed = true;
        return;
    }
    if (!s->has_t0 || f->start_ms < s->t0_ms)
        s->t0_ms = f->start_ms;
    s->has_t0 = true;
    if (f->start_ms + f->elapsed_ms > t->end_ms)
        t->end_ms = f->start_ms + f->elapsed_ms;
}

static void stack_end(const tp_node_end *end, void *ctx)
{
    struct speedscope *s = ctx;
    tp_call_frame f;
    (void)end;
    if (!tp_call_pop(&s->stack, &f) || !s->active)
        return;
    double at = f.start_ms + f.elapsed_ms - s->t0_ms;
    if (at < s->last_at)
        at = s->last_at;
    s->last_at = at;
    tp_buf_printf(&s->out->buf, ",\n{\"type\": \"C\", \"frame\": %zu, \"at\": %.3f}", f.mark, at);
    tp_sink_maybe_flush(s->out);
}

static void events_begin(const tp_node *node, void *ctx)
{
    struct speedscope *s = ctx;
    tp_call_frame *f = tp_call_push(&s->stack, node);
    if (!f)
        return;
    if (node->depth == 0)
        s->active = tp_thread_ref_equal(f->thread, s->wanted);
    if (!s->active)
        return;
    frame_key(s, node);
    if (s->key.failed || !tp_strmap_get(&s->frames, tp_buf_cstr(&s->key), &f->mark)) {
        s->failed = true;   /* every frame was interned by the first pass */
        return;
    }
    double at = f->start_ms - s->t0_ms;
    if (at < s->last_at)
        at = s->last_at;
    s->last_at = at;
    tp_buf_printf(&s->out->buf, "%s\n{\"type\": \"O\", \"frame\": %zu, \"at\": %.3f}",
                  s->events++ ? "," : "", f->mark, at);
    tp_sink_maybe_flush(s->out);
}

static int write_profile(struct speedscope *s, const char *path, size_t i, tp_buf *err)
{
    const struct thread_span *t = &s->threads[i];
    tp_buf *b = &s->out->buf;
    tp_buf_reset(&s->name);
    tp_thread_label(&s->name, s->h, t->thread);
    tp_buf_printf(b, "%s\n{\"type\": \"evented\", \"name\": \"", i ? "," : "");
    tp_json_escape(b, tp_buf_cstr(&s->name));
    tp_buf_printf(b, "\", \"unit\": \"milliseconds\", \"startValue\": 0, \"endValue\": %.3f, "
                  "\"events\": [", t->end_ms - s->t0_ms);
    s->wanted = t->thread;
    s->active = false;
    s->events = 0;
    s->last_at = 0;
    tp_header h;
    tp_header_init(&h);
    tp_reader_callbacks cb = {events_begin, stack_end, s, false};
    int rc = tp_read_trace(path, &cb, &h, err);
    tp_header_free(&h);
    tp_buf_puts(b, "]}");
    return rc;
}

static void write_frames(struct speedscope *s)
{
    const char **keys = calloc(s->frames.count ? s->frames.count : 1, sizeof *keys);
    tp_buf *b = &s->out->buf;
    if (!keys) {
        s->failed = true;
        return;
    }
    for (size_t i = 0; i < s->frames.cap; i++)
        if (s->frames.keys[i])
            keys[s->frames.values[i]] = s->frames.keys[i];
    for (size_t i = 0; i < s->frames.count; i++) {
        const char *file = strchr(keys[i], '\x1f'), *line = strchr(file + 1, '\x1f');
        tp_buf_printf(b, "%s\n{\"name\": \"", i ? "," : "");
        tp_buf_printf(b, "%.*s", (int)(file - keys[i]), keys[i]);
        tp_buf_printf(b, "\", \"file\": \"%.*s\", \"line\": %s}", (int)(line - file - 1), file + 1,
                      line + 1);
        tp_sink_maybe_flush(s->out);
    }
    free(keys);
}

static void write_head(struct speedscope *s)
{
    const char *label = tp_header_str(s->h, "label");
    tp_buf *b = &s->out->buf;
    tp_buf_puts(b, "{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\", "
                   "\"exporter\": \"tph " TRACEPATCH_VERSION "\", \"name\": \"");
    tp_json_escape(b, label && *label ? label : "tracepatch trace");
    tp_buf_puts(b, "\", \"activeProfileIndex\": 0, \"profiles\": [");
}

/* An allocation that failed in a pass: the output would be wrong, so the
 * export fails as a whole. */
static int check_memory(const struct speedscope *s, const char *path, tp_buf *err)
{
    if (!s->failed && !s->stack.failed)
        return 0;
    tp_buf_printf(err, "%s: out of memory at byte 0", path);
    return -1;
}

int tp_export_speedscope(const char *path, const tp_header *h, tp_sink *out, tp_buf *err)
{
    struct speedscope s = {.h = h, .out = out, .stack = TP_CALL_STACK_INIT, .name = TP_BUF_INIT,
                           .key = TP_BUF_INIT, .frames = TP_STRMAP_INIT};
    tp_header full;
    tp_header_init(&full);
    tp_reader_callbacks cb = {collect_begin, stack_end, &s, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    tp_header_free(&full);
    if (rc == 0)
        rc = check_memory(&s, path, err);
    if (rc == 0) {
        write_head(&s);
        for (size_t i = 0; rc == 0 && i < s.n_threads; i++)
            rc = write_profile(&s, path, i, err);
    }
    if (rc == 0) {
        tp_buf_puts(&out->buf, "\n], \"shared\": {\"frames\": [");
        write_frames(&s);
        tp_buf_puts(&out->buf, "\n]}}\n");
    }
    if (rc == 0)
        rc = check_memory(&s, path, err);
    tp_call_stack_free(&s.stack);
    tp_buf_free(&s.name);
    tp_buf_free(&s.key);
    tp_strmap_free(&s.frames);
    free(s.threads);
    return rc;
}
