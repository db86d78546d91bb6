#include "lines_print.h"
#include "format_time.h"

#include <inttypes.h>
#include <math.h>

#define FLUSH_BYTES (64u << 10)

/* Writes what `b` holds once it is large; always when `force`. */
static void flush(tp_buf *b, FILE *out, bool force)
{
    if (b->len > 0 && (force || b->len >= FLUSH_BYTES)) {
        fwrite(b->data, 1, b->len, out);
        tp_buf_reset(b);
    }
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

void tp_lines_print_counts(const tp_lines *l, bool summary, FILE *out)
{
    fputs("  ", out);
    if (summary)
        fprintf(out, "%" PRIu64 " line%s, ", l->rows_seen, plural(l->rows_seen));
    fprintf(out, "%" PRIu64 " step%s", l->steps_seen, plural(l->steps_seen));
    if (l->steps_dropped > 0)
        fprintf(out, " (%" PRId64 " more not recorded)", l->steps_dropped);
    if (l->mode != TP_LINES_NONE)
        fprintf(out, ", variables: %s", tp_lines_str(l, l->mode));
    fputc('\n', out);
}

static void put_source(tp_buf *b, const tp_lines *l, uint32_t source)
{
    const char *text = tp_lines_str(l, source);
    tp_buf_puts(b, *text ? text : "(source not available)");
}

static void put_step(tp_buf *b, const tp_lines *l, size_t i, const char *file)
{
    const tp_lines_step *s = &l->steps[i];
    char dt[32] = "?";
    if (s->has_dt)
        tp_format_elapsed(s->dt_ms, dt, sizeof dt);
    tp_buf_printf(b, "  #%zu  +%s  %s:", i + 1, dt, *file ? file : "?");
    if (s->has_line)
        tp_buf_printf(b, "%" PRId64, s->line);
    else
        tp_buf_putc(b, '?');
    tp_buf_puts(b, "  ");
    /* One statement of a multi-statement line: its place, then its text. */
    if (s->has_statement_index)
        tp_buf_printf(b, "[%" PRId64 "] ", s->statement_index);
    put_source(b, l, s->statement != TP_LINES_NONE ? s->statement : s->source);
    tp_buf_putc(b, '\n');
    for (uint32_t v = 0; v < s->n_vars; v++) {
        tp_buf_puts(b, "        ");
        tp_buf_puts(b, tp_lines_str(l, l->strs[s->vars + v]));
        tp_buf_putc(b, '\n');
    }
    if (s->cut)
        tp_buf_puts(b, "        ...\n");
}

void tp_lines_print_steps(const tp_lines *l, const char *file, FILE *out)
{
    tp_buf b = TP_BUF_INIT;
    for (size_t i = 0; i < l->n_steps; i++) {
        put_step(&b, l, i, file);
        flush(&b, out, false);
    }
    if (l->steps_unkept > 0)
        tp_buf_printf(&b, "  ... %" PRIu64 " more step%s not shown (tph keeps %u per call)\n",
                      l->steps_unkept, plural(l->steps_unkept), TP_LINES_MAX_ITEMS);
    if (l->steps_dropped > 0)
        tp_buf_printf(&b, "  ... %" PRId64 " more step%s not recorded (per-call limit)\n",
                      l->steps_dropped, plural((uint64_t)l->steps_dropped));
    if (l->steps_seen == 0 && l->steps_dropped <= 0)
        tp_buf_puts(&b, "  (no steps recorded)\n");
    flush(&b, out, true);
    tp_buf_free(&b);
}

/* Appends `n` sample strings from `strs[at..]`, comma-separated. */
static void put_samples(tp_buf *b, const tp_lines *l, uint32_t at, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            tp_buf_puts(b, ", ");
        tp_buf_puts(b, tp_lines_str(l, l->strs[at + i]));
    }
}

/* `name: first, ...` and, when the samples do not meet, ` ... last`. The
 * lists overlap when count <= 2K; the overlap is written once. */
static void put_var(tp_buf *b, const tp_lines *l, const tp_lines_var *v)
{
    tp_buf_puts(b, "        ");
    tp_buf_puts(b, tp_lines_str(l, v->name));
    tp_buf_putc(b, ':');
    if (v->n_first + v->n_last > 0)
        tp_buf_putc(b, ' ');
    put_samples(b, l, v->first, v->n_first);
    uint64_t shown = (uint64_t)v->n_first + v->n_last;
    uint32_t skip = 0;
    if (v->has_count && v->count >= 0 && (uint64_t)v->count < shown)
        skip = (uint32_t)(shown - (uint64_t)v->count);
    if (skip > v->n_last)
        skip = v->n_last;
    bool gap = !v->has_count || (v->count >= 0 && (uint64_t)v->count > shown);
    if (v->n_last > skip)
        tp_buf_puts(b, v->n_first == 0 ? "" : gap ? " ... " : ", ");
    put_samples(b, l, v->last + skip, v->n_last - skip);
    if (v->has_count && gap)
        tp_buf_printf(b, "  (%" PRId64 " sample%s)", v->count, plural((uint64_t)v->count));
    tp_buf_putc(b, '\n');
}

static int digits(int64_t v)
{
    char text[24];
    return snprintf(text, sizeof text, "%" PRId64, v);
}

static void put_row(tp_buf *b, const tp_lines *l, const tp_lines_row *r, int wline, int whits)
{
    if (r->has_line)
        tp_buf_printf(b, "  %*" PRId64, wline, r->line);
    else
        tp_buf_printf(b, "  %*s", wline, "?");
    if (r->has_hits)
        tp_buf_printf(b, "  x%-*" PRId64 "  ", whits, r->hits);
    else
        tp_buf_printf(b, "  x%-*s  ", whits, "?");
    put_source(b, l, r->source);
    tp_buf_putc(b, '\n');
    for (uint32_t v = 0; v < r->n_vars; v++)
        put_var(b, l, &l->vars[r->vars + v]);
    if (r->cut)
        tp_buf_puts(b, "        ...\n");
}

void tp_lines_print_summary(const tp_lines *l, FILE *out)
{
    int wline = 1, whits = 1;
    for (size_t i = 0; i < l->n_rows; i++) {
        const tp_lines_row *r = &l->rows[i];
        int w = r->has_line ? digits(r->line) : 1, h = r->has_hits ? digits(r->hits) : 1;
        wline = w > wline ? w : wline;
        whits = h > whits ? h : whits;
    }
    tp_buf b = TP_BUF_INIT;
    for (size_t i = 0; i < l->n_rows; i++) {
        put_row(&b, l, &l->rows[i], wline, whits);
        flush(&b, out, false);
    }
    if (l->rows_unkept > 0)
        tp_buf_printf(&b, "  ... %" PRIu64 " more line%s not shown (tph keeps %u per call)\n",
                      l->rows_unkept, plural(l->rows_unkept), TP_LINES_MAX_ITEMS);
    if (l->rows_seen == 0)
        tp_buf_puts(&b, "  (no summary recorded)\n");
    flush(&b, out, true);
    tp_buf_free(&b);
}
