#include "tree_print.h"
#include "color.h"
#include "format_time.h"
#include "node_match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_BYTES (64u << 10)

enum skip_kind { SKIP_SILENT, SKIP_COUNT, SKIP_FOLD };

struct fold {
    bool pending;
    unsigned depth;
    uint64_t first, count;
    double total, min, max;
    tp_buf name;
};

struct tp_tree_printer {
    const tp_tree_plan *plan;
    tp_tree_view view;
    long section;
    FILE *out;
    const char *tee, *corner, *pipe, *blank;   /* the connector style */
    tp_buf line, prefix;         /* `line` gathers lines until FLUSH_BYTES */
    tp_buf name;                 /* scratch for a display name */
    size_t *prefix_marks;        /* prefix length before each depth's piece */
    uint64_t *summarised;        /* calls summarised among the children at each depth */
    bool skipping;
    unsigned skip_depth;
    enum skip_kind skip_kind;
    struct fold fold;
    uint64_t lines;
};

tp_tree_printer *tp_tree_printer_new(const tp_tree_plan *plan, const tp_tree_view *view,
                                     long section, FILE *out)
{
    tp_tree_printer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->prefix_marks = calloc(TP_MAX_NODE_DEPTH + 1, sizeof *p->prefix_marks);
    p->summarised = calloc(TP_MAX_NODE_DEPTH + 2, sizeof *p->summarised);
    if (!p->prefix_marks || !p->summarised) {
        tp_tree_printer_free(p);
        return NULL;
    }
    p->plan = plan;
    p->view = *view;
    p->section = section;
    p->out = out;
    p->tee = view->ascii ? "|-- " : "\u251c\u2500\u2500 ";
    p->corner = view->ascii ? "`-- " : "\u2514\u2500\u2500 ";
    p->pipe = view->ascii ? "|   " : "\u2502   ";
    p->blank = "    ";
    return p;
}

void tp_tree_printer_free(tp_tree_printer *p)
{
    if (!p)
        return;
    free(p->prefix_marks);
    free(p->summarised);
    tp_buf_free(&p->line);
    tp_buf_free(&p->prefix);
    tp_buf_free(&p->name);
    tp_buf_free(&p->fold.name);
    free(p);
}

static void paint(tp_tree_printer *p, const char *sgr, const char *text)
{
    if (p->view.color)
        tp_buf_puts(&p->line, sgr);
    tp_buf_puts(&p->line, text);
    if (p->view.color)
        tp_buf_puts(&p->line, TP_SGR_RESET);
}

static const char *elapsed_color(double ms)
{
    return ms >= 1000.0 ? TP_SGR_RED : ms >= 100.0 ? TP_SGR_YELLOW : TP_SGR_CYAN;
}

static void start_line(tp_tree_printer *p, bool last)
{
    tp_buf_append(&p->line, p->prefix.data, p->prefix.len);
    tp_buf_puts(&p->line, last ? p->corner : p->tee);
}

static void flush_lines(tp_tree_printer *p)
{
    if (p->line.len > 0)
        fwrite(p->line.data, 1, p->line.len, p->out);
    tp_buf_reset(&p->line);
}

/* Lines are written in batches: one fwrite per FLUSH_BYTES, not per line. */
static void emit_line(tp_tree_printer *p)
{
    tp_buf_putc(&p->line, '\n');
    p->lines++;
    if (p->line.len >= FLUSH_BYTES)
        flush_lines(p);
}

static void print_summary(tp_tree_printer *p, unsigned depth)
{
    uint64_t n = p->summarised[depth];
    if (n == 0)
        return;
    p->summarised[depth] = 0;
    start_line(p, true);
    char text[64];
    snprintf(text, sizeof text, "[+%llu call%s]", (unsigned long long)n, n == 1 ? "" : "s");
    paint(p, TP_SGR_DIM, text);
    emit_line(p);
}

static void flush_fold(tp_tree_printer *p)
{
    struct fold *f = &p->fold;
    if (!f->pending)
        return;
    f->pending = false;
    start_line(p, tp_tree_plan_is_last(p->plan, f->first));
    paint(p, TP_SGR_BOLD, tp_buf_cstr(&f->name));
    tp_buf_puts(&p->line, "(...)  ");
    char total[32], avg[32], min[32], max[32], text[192];
    tp_format_elapsed(f->total, total, sizeof total);
    tp_format_elapsed(f->count ? f->total / (double)f->count : 0, avg, sizeof avg);
    tp_format_elapsed(f->min, min, sizeof min);
    tp_format_elapsed(f->max, max, sizeof max);
    snprintf(text, sizeof text, "[x%llu  total %s  avg %s  min %s  max %s]",
             (unsigned long long)f->count, total, avg, min, max);
    paint(p, TP_SGR_DIM, text);
    emit_line(p);
}

static void start_fold(tp_tree_printer *p, const tp_node *node)
{
    struct fold *f = &p->fold;
    f->pending = true;
    f->depth = node->depth;
    f->first = node->index;
    f->count = 0;
    f->total = 0;
    f->min = INFINITY;
    f->max = 0;
    tp_node_display_name(&f->name, node);
}

static void add_to_fold(tp_tree_printer *p, const tp_node_end *e)
{
    struct fold *f = &p->fold;
    if (!f->pending)
        return;
    double ms = e->has_elapsed ? e->elapsed_ms : 0;
    f->count++;
    f->total += ms;
    f->min = ms < f->min ? ms : f->min;
    f->max = ms > f->max ? ms : f->max;
}

static void put_call_text(tp_tree_printer *p, const tp_node *n)
{
    tp_node_display_name(&p->name, n);
    paint(p, TP_SGR_BOLD, tp_buf_cstr(&p->name));
    const char *args = n->args ? n->args : "";
    tp_buf_putc(&p->line, '(');
    tp_buf_puts(&p->line, p->view.args || !*args ? args : "...");
    tp_buf_putc(&p->line, ')');
    if (n->exception) {
        tp_buf_puts(&p->line, " ");
        paint(p, TP_SGR_RED, "!! ");
        paint(p, TP_SGR_RED, n->exception);
    } else if (p->view.returns && n->return_value) {
        tp_buf_puts(&p->line, " -> ");
        paint(p, TP_SGR_GREEN, n->return_value);
    }
}

static void put_timing(tp_tree_printer *p, const tp_node *n)
{
    char elapsed[32], self[32];
    double ms = tp_node_elapsed_ms(n);
    tp_format_elapsed(ms, elapsed, sizeof elapsed);
    tp_buf_puts(&p->line, "  ");
    if (p->view.color)
        tp_buf_puts(&p->line, elapsed_color(isnan(ms) ? 0 : ms));
    tp_buf_putc(&p->line, '[');
    tp_buf_puts(&p->line, elapsed);
    if (p->view.self_time) {
        tp_format_elapsed(tp_tree_plan_self_ms(p->plan, n->index), self, sizeof self);
        tp_buf_puts(&p->line, ", self ");
        tp_buf_puts(&p->line, self);
    }
    tp_buf_puts(&p->line, n->unfinished ? ", unfinished]" : "]");
    if (p->view.color)
        tp_buf_puts(&p->line, TP_SGR_RESET);
    if (p->view.source && n->file) {
        tp_buf_puts(&p->line, "  ");
        if (n->has_lineno)
            tp_buf_printf(&p->line, "%s:%lld", n->file, (long long)n->lineno);
        else
            tp_buf_puts(&p->line, n->file);
    }
}

static void print_call(tp_tree_printer *p, const tp_node *n)
{
    bool last = tp_tree_plan_is_last(p->plan, n->index);
    start_line(p, last);
    put_call_text(p, n);
    put_timing(p, n);
    emit_line(p);
    p->prefix_marks[n->depth] = p->prefix.len;
    tp_buf_puts(&p->prefix, last ? p->blank : p->pipe);
    p->summarised[n->depth + 1] = 0;
}

static void skip(tp_tree_printer *p, unsigned depth, enum skip_kind kind)
{
    p->skipping = true;
    p->skip_depth = depth;
    p->skip_kind = kind;
}

void tp_tree_print_begin(const tp_node *n, void *ctx)
{
    tp_tree_printer *p = ctx;
    if (p->skipping)
        return;
    if (n->depth == 0 && tp_tree_plan_find_section(p->plan, tp_node_thread(n)) != p->section) {
        skip(p, 0, SKIP_SILENT);
        return;
    }
    tp_line_state state = tp_tree_plan_state(p->plan, n->index);
    bool new_line = state == TP_LINE_SHOWN || state == TP_LINE_FOLD_START;
    if (new_line && p->fold.pending && p->fold.depth == n->depth)
        flush_fold(p);
    switch (state) {
    case TP_LINE_SHOWN:
        print_call(p, n);
        return;
    case TP_LINE_FOLD_START:
        start_fold(p, n);
        skip(p, n->depth, SKIP_FOLD);
        return;
    case TP_LINE_FOLD_MEMBER:
        skip(p, n->depth, p->fold.pending ? SKIP_FOLD : SKIP_COUNT);
        return;
    case TP_LINE_SUMMARISED:
        skip(p, n->depth, SKIP_COUNT);
        return;
    default:
        skip(p, n->depth, SKIP_SILENT);
        return;
    }
}

void tp_tree_print_end(const tp_node_end *e, void *ctx)
{
    tp_tree_printer *p = ctx;
    if (p->skipping) {
        if (e->depth > p->skip_depth)
            return;
        p->skipping = false;
        if (p->skip_kind == SKIP_COUNT)
            p->summarised[e->depth] += 1 + e->descendants;
        else if (p->skip_kind == SKIP_FOLD)
            add_to_fold(p, e);
        return;
    }
    if (p->fold.pending && p->fold.depth == e->depth + 1)
        flush_fold(p);
    print_summary(p, e->depth + 1);
    p->prefix.len = p->prefix_marks[e->depth];
    if (p->prefix.data)
        p->prefix.data[p->prefix.len] = '\0';
}

uint64_t tp_tree_printer_finish(tp_tree_printer *p)
{
    if (p->fold.pending && p->fold.depth == 0)
        flush_fold(p);
    print_summary(p, 0);
    flush_lines(p);
    return p->lines;
}
