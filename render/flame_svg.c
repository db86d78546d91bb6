#include "flame_svg.h"

#include "field.h"
#include "flame_script.h"
#include "format_time.h"
#include "json_value.h"
#include "node_match.h"
#include "trace_threads.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define X0 10.0
#define ROW 16.0
#define GAP 10.0
#define TOP 44.0
#define CHART_WIDTH (TP_FLAME_WIDTH - 2 * X0)
#define TOOLTIP_TEXT 400      /* bytes of args / return value in a tooltip */
#define CHAR_PX 7.2           /* width of a 12px monospace character */

struct flame {
    const tp_header *h;
    const tp_flame_layout *layout;
    tp_sink *out;
    tp_call_stack stack;     /* frame.mark: 1 when the call is not drawn */
    tp_buf name, text;
    double span_ms, min_px;
    size_t thread;
    tp_flame_result *result;
};

static void xml_escape(tp_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': tp_buf_puts(b, "&amp;"); break;
        case '<': tp_buf_puts(b, "&lt;"); break;
        case '>': tp_buf_puts(b, "&gt;"); break;
        case '"': tp_buf_puts(b, "&quot;"); break;
        default: tp_buf_putc(b, *p); break;
        }
    }
}

/* A stable warm colour per module: the same module, the same colour. */
static void module_colour(char *out, size_t size, const char *module)
{
    uint64_t h = tp_function_key(module ? module : "");
    h ^= h >> 33;   /* spread FNV's low bits: short names differ in them */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    snprintf(out, size, "hsl(%u,%u%%,%u%%)", (unsigned)(h % 56), 60 + (unsigned)((h >> 8) % 35),
             52 + (unsigned)((h >> 16) % 18));
}

static void put_cut(tp_buf *b, tp_buf *scratch, const char *text)
{
    tp_field_set(scratch, (const unsigned char *)text, strlen(text), TOOLTIP_TEXT);
    xml_escape(b, tp_buf_cstr(scratch));
}

static void put_tooltip(struct flame *f, const tp_node *node, const tp_call_frame *c)
{
    tp_buf *b = &f->out->buf;
    char elapsed[32];
    tp_buf_puts(b, "<title>");
    xml_escape(b, tp_buf_cstr(&f->name));
    tp_buf_putc(b, '(');
    put_cut(b, &f->text, node->args ? node->args : "");
    tp_buf_putc(b, ')');
    if (node->exception) {
        tp_buf_puts(b, " !! ");
        put_cut(b, &f->text, node->exception);
    } else if (node->return_value) {
        tp_buf_puts(b, " -&gt; ");
        put_cut(b, &f->text, node->return_value);
    }
    tp_format_elapsed(c->elapsed_ms, elapsed, sizeof elapsed);
    tp_buf_printf(b, "\n%s (%.1f%%)%s", elapsed, f->span_ms > 0 ? c->elapsed_ms * 100 / f->span_ms : 0,
                  node->unfinished ? ", unfinished" : "");
    if (node->file) {
        tp_buf_puts(b, "  ");
        xml_escape(b, node->file);
        if (node->has_lineno)
            tp_buf_printf(b, ":%" PRId64, node->lineno);
    }
    tp_buf_puts(b, "</title>");
}

/* The label that fits in `w` pixels, as the script would write it. */
static void put_label(tp_buf *b, const char *name, double w)
{
    long fit = (long)((w - 6) / CHAR_PX);
    size_t len = strlen(name);
    if (fit < 3)
        return;
    if (len <= (size_t)fit) {
        xml_escape(b, name);
        return;
    }
    tp_buf scratch = TP_BUF_INIT;
    tp_field_set(&scratch, (const unsigned char *)name, len, (size_t)fit - 3);
    xml_escape(b, tp_buf_cstr(&scratch));
    tp_buf_free(&scratch);
}

static void put_call(struct flame *f, const tp_node *node, const tp_call_frame *c, double y)
{
    tp_buf *b = &f->out->buf;
    double s = c->start_ms - f->layout->t0_ms, x = s / f->span_ms * CHART_WIDTH;
    double w = c->elapsed_ms / f->span_ms * CHART_WIDTH;
    char colour[48];
    module_colour(colour, sizeof colour, node->module);
    tp_buf_printf(b, "<g class=\"c\" data-s=\"%.4f\" data-d=\"%.4f\" data-f=\"%s\" data-n=\"",
                  s, c->elapsed_ms, colour);
    xml_escape(b, tp_buf_cstr(&f->name));
    tp_buf_puts(b, "\">");
    put_tooltip(f, node, c);
    tp_buf_printf(b, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" rx=\"2\"/>"
                  "<text x=\"%.2f\" y=\"%.1f\">", X0 + x, y, w < 0.1 ? 0.1 : w, ROW - 1, colour,
                  X0 + x + 3, y + ROW - 4.5);
    put_label(b, tp_buf_cstr(&f->name), w);
    tp_buf_puts(b, "</text></g>\n");
    tp_sink_maybe_flush(f->out);
}

static void draw_begin(const tp_node *node, void *ctx)
{
    struct flame *f = ctx;
    const tp_call_frame *parent = tp_call_top(&f->stack);
    tp_call_frame *c = tp_call_push(&f->stack, node);
    if (!c)
        return;
    if (node->depth == 0) {
        const tp_flame_thread *t = tp_flame_thread_of(f->layout, c->thread);
        f->thread = t ? (size_t)(t - f->layout->threads) : 0;
    }
    double w = c->elapsed_ms / f->span_ms * CHART_WIDTH;
    c->mark = (parent && parent->mark) || w < f->min_px || node->depth >= TP_FLAME_MAX_ROWS;
    if (c->mark) {
        f->result->too_narrow++;
        return;
    }
    tp_node_display_name(&f->name, node);
    const tp_flame_thread *t = &f->layout->threads[f->thread];
    put_call(f, node, c, t->y + ROW * (1 + node->depth));
    f->result->drawn++;
}

static void draw_end(const tp_node_end *end, void *ctx)
{
    struct flame *f = ctx;
    tp_call_frame c;
    (void)end;
    tp_call_pop(&f->stack, &c);
}

static void put_head(struct flame *f, double height)
{
    tp_buf *b = &f->out->buf;
    const char *label = tp_header_str(f->h, "label");
    char span[32];
    int64_t pid = 0;
    tp_header_int(f->h, "pid", &pid);
    tp_format_elapsed(f->layout->t1_ms - f->layout->t0_ms, span, sizeof span);
    tp_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
                  "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" data-x0=\"%.0f\" data-width=\"%.2f\" "
                  "data-total=\"%.4f\">\n<style>\n" TP_FLAME_STYLE "</style>\n"
                  "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#fdfaf4\"/>\n"
                  "<text x=\"%.0f\" y=\"20\" style=\"font-size:15px;font-weight:bold\">",
                  TP_FLAME_WIDTH, height, TP_FLAME_WIDTH, height, X0, CHART_WIDTH, f->span_ms, X0);
    xml_escape(b, label && *label ? label : "tracepatch trace");
    tp_buf_printf(b, " (pid %" PRId64 "): %" PRIu64 " calls in %s</text>\n"
                  "<text id=\"reset\" class=\"button\" x=\"%.0f\" y=\"36\">Reset zoom</text>\n"
                  "<text id=\"search\" class=\"button\" x=\"%.0f\" y=\"36\" "
                  "text-anchor=\"end\">Search</text>\n", pid, f->layout->calls, span, X0,
                  TP_FLAME_WIDTH - X0);
}

static void put_thread_labels(struct flame *f)
{
    tp_buf *b = &f->out->buf;
    for (size_t i = 0; i < f->layout->n_threads; i++) {
        const tp_flame_thread *t = &f->layout->threads[i];
        tp_buf_reset(&f->name);
        tp_thread_label(&f->name, f->h, t->thread);
        tp_buf_printf(b, "<text class=\"thread\" x=\"%.0f\" y=\"%.1f\">", X0, t->y + ROW - 4);
        xml_escape(b, tp_buf_cstr(&f->name));
        tp_buf_puts(b, "</text>\n");
    }
}

static void put_tail(struct flame *f, double y)
{
    tp_buf_printf(&f->out->buf,
                  "<text id=\"details\" x=\"%.0f\" y=\"%.1f\"> </text>\n"
                  "<text id=\"matched\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\"></text>\n"
                  "<script type=\"text/ecmascript\"><![CDATA[\n" TP_FLAME_SCRIPT "]]></script>\n"
                  "</svg>\n", X0, y + 14, TP_FLAME_WIDTH - X0, y + 14);
}

int tp_flame_write(const char *path, const tp_header *h, tp_flame_layout *layout,
                   tp_sink *out, tp_flame_result *result, tp_buf *err)
{
    struct flame f = {.h = h, .layout = layout, .out = out, .stack = TP_CALL_STACK_INIT,
                      .name = TP_BUF_INIT, .text = TP_BUF_INIT, .result = result};
    f.span_ms = layout->t1_ms - layout->t0_ms;
    f.min_px = layout->calls <= TP_FLAME_DRAW_ALL ? -1 : TP_FLAME_MIN_PX;
    if (!(f.span_ms > 0))
        f.span_ms = 1e-3;
    double bottom = tp_flame_place(layout, TOP, ROW, GAP);
    put_head(&f, bottom + 24);
    put_thread_labels(&f);
    tp_header full;
    tp_header_init(&full);
    tp_reader_callbacks cb = {draw_begin, draw_end, &f, false};
    int rc = tp_read_trace(path, &cb, &full, err);
    if (rc == 0 && f.stack.failed) {
        tp_buf_printf(err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    if (rc == 0)
        put_tail(&f, bottom);
    tp_header_free(&full);
    tp_call_stack_free(&f.stack);
    tp_buf_free(&f.name);
    tp_buf_free(&f.text);
    return rc;
}
