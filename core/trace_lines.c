#include "trace_lines.h"

#include <stdlib.h>
#include <string.h>

#include "json_str.h"
#include "record_text.h"

static void string(tp_buf *out, const char *s)
{
    tp_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

static void source(tp_buf *out, tp_source_cache *src, const char *file, int line)
{
    size_t len;
    const char *text = tp_source_line(src, file, line, &len);
    tp_json_string(out, text, len);
}

/* A step of one statement of a multi-statement line: which one, and its
 * own text (docs/format.md). */
static void statement(tp_buf *out, tp_source_cache *src, const tp_code_meta *m,
                      const tp_line_step *s)
{
    for (uint32_t i = 0; i < m->n_stmts; i++) {
        const tp_stmt *st = &m->stmts[i];
        if (st->line != s->line || st->index != s->stmt)
            continue;
        size_t len;
        const char *text = tp_source_cols(src, m->file, st->line, st->col, st->end_col, &len);
        tp_buf_puts(out, ",\"statement\":");
        tp_json_string(out, text, len);
        tp_buf_printf(out, ",\"statement_index\":%u", (unsigned)s->stmt);
        return;
    }
}

static void steps(tp_buf *out, const tp_window *w, const tp_thread *t, const tp_line_call *lc,
                  tp_source_cache *src)
{
    const tp_code_meta *m = &w->codes.metas[lc->code];
    uint64_t prev = tp_window_ns(w, t->nodes[lc->node].start);
    tp_buf_puts(out, "\"steps\":[");
    for (uint32_t i = 0; i < lc->n_steps; i++) {
        const tp_line_step *s = &lc->steps[i];
        uint64_t at = tp_window_ns(w, s->t);
        tp_buf_printf(out, "%s{\"line\":%d,\"dt_ms\":%.3f,\"source\":", i ? "," : "", s->line,
                      (double)(at > prev ? at - prev : 0) / 1e6);
        source(out, src, m->file, s->line);
        if (s->stmt)
            statement(out, src, m, s);
        prev = at;
        if (w->cfg->variable_mode != TP_VARS_NONE) {
            tp_buf_puts(out, ",\"vars\":[");
            for (uint32_t v = 0; v < s->n_vars; v++) {
                if (v)
                    tp_buf_putc(out, ',');
                string(out, tp_text_at(t, t->lvars[s->first_var + v].shown));
            }
            tp_buf_putc(out, ']');
        }
        tp_buf_putc(out, '}');
    }
    tp_buf_putc(out, ']');
}

/* ---- the summary: each line once, with samples of each variable ---- */

typedef struct var_samples {
    uint16_t var;
    uint32_t count;
    uint32_t *first, *last;   /* K each; last is a ring */
} var_samples;

typedef struct line_summary {
    int line;
    uint32_t hits;
    var_samples *vars;
    size_t n_vars;
} line_summary;

static line_summary *line_entry(line_summary **lines, size_t *n, int line)
{
    for (size_t i = 0; i < *n; i++)
        if ((*lines)[i].line == line)
            return &(*lines)[i];
    line_summary *p = realloc(*lines, (*n + 1) * sizeof *p);
    if (!p)
        return NULL;
    *lines = p;
    p[*n] = (line_summary){line, 0, NULL, 0};
    return &p[(*n)++];
}

static var_samples *var_entry(line_summary *l, uint16_t var, size_t k)
{
    for (size_t i = 0; i < l->n_vars; i++)
        if (l->vars[i].var == var)
            return &l->vars[i];
    var_samples *p = realloc(l->vars, (l->n_vars + 1) * sizeof *p);
    if (!p)
        return NULL;
    l->vars = p;
    var_samples *v = &p[l->n_vars];
    *v = (var_samples){var, 0, calloc(k, sizeof *v->first), calloc(k, sizeof *v->last)};
    if (!v->first || !v->last) {
        free(v->first);
        free(v->last);
        return NULL;
    }
    l->n_vars++;
    return v;
}

static void sample(var_samples *v, uint32_t value, size_t k)
{
    if (v->count < k)
        v->first[v->count] = value;
    v->last[v->count % k] = value;
    v->count++;
}

static int by_line(const void *a, const void *b)
{
    const line_summary *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

static void samples_json(tp_buf *out, const tp_thread *t, const var_samples *v, size_t k)
{
    size_t n = v->count < k ? v->count : k;
    tp_buf_printf(out, "{\"count\":%u,\"first\":[", v->count);
    for (size_t i = 0; i < n; i++) {
        if (i)
            tp_buf_putc(out, ',');
        string(out, tp_text_at(t, v->first[i]));
    }
    tp_buf_puts(out, "],\"last\":[");
    for (size_t i = 0; i < n; i++) {
        size_t at = v->count <= k ? i : (v->count + i) % k;
        if (i)
            tp_buf_putc(out, ',');
        string(out, tp_text_at(t, v->last[at]));
    }
    tp_buf_puts(out, "]}");
}

static void summary(tp_buf *out, const tp_window *w, const tp_thread *t, const tp_line_call *lc,
                    tp_source_cache *src)
{
    const tp_code_meta *m = &w->codes.metas[lc->code];
    size_t k = (size_t)w->cfg->line_samples, n = 0;
    line_summary *lines = NULL;
    for (uint32_t i = 0; i < lc->n_steps; i++) {
        const tp_line_step *s = &lc->steps[i];
        line_summary *l = line_entry(&lines, &n, s->line);
        if (!l) {
            tp_buf_fail(out);   /* the write fails as for any text it could not hold */
            break;
        }
        /* Hits count the line's runs (and, as before, a loop's iterations
         * within it): the step that begins its next statement is neither. */
        const tp_line_step *p = i ? &lc->steps[i - 1] : NULL;
        bool next_statement = s->stmt >= 2 && !(p && p->line == s->line && p->stmt == s->stmt);
        l->hits += !next_statement;
        for (uint32_t j = 0; j < s->n_vars; j++) {
            const tp_line_var *lv = &t->lvars[s->first_var + j];
            var_samples *v = var_entry(l, lv->var, k);
            if (v)
                sample(v, lv->value, k);
            else
                tp_buf_fail(out);
        }
    }
    qsort(lines, n, sizeof *lines, by_line);
    tp_buf_puts(out, "\"summary\":[");
    for (size_t i = 0; i < n; i++) {
        tp_buf_printf(out, "%s{\"line\":%d,\"source\":", i ? "," : "", lines[i].line);
        source(out, src, m->file, lines[i].line);
        tp_buf_printf(out, ",\"hits\":%u,\"vars\":{", lines[i].hits);
        for (size_t j = 0; j < lines[i].n_vars; j++) {
            var_samples *v = &lines[i].vars[j];
            if (j)
                tp_buf_putc(out, ',');
            string(out, m->local_names[v->var]);
            tp_buf_putc(out, ':');
            samples_json(out, t, v, k);
            free(v->first);
            free(v->last);
        }
        tp_buf_puts(out, "}}");
        free(lines[i].vars);
    }
    tp_buf_putc(out, ']');
    free(lines);
}

void tp_trace_lines_json(tp_buf *out, const tp_window *w, const tp_thread *t,
                         const tp_line_call *lc, tp_source_cache *src)
{
    tp_buf_printf(out, ",\"lines\":{\"mode\":\"%s\",",
                  tp_variable_mode_name(w->cfg->variable_mode));
    steps(out, w, t, lc, src);
    tp_buf_printf(out, ",\"steps_dropped\":%u,", lc->dropped);
    summary(out, w, t, lc, src);
    tp_buf_putc(out, '}');
}
