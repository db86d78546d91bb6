/* tph stats: where the time went, per function, module and thread. */
#include "cli.h"
#include "commands.h"
#include "expr_option.h"
#include "field.h"
#include "format_time.h"
#include "json_value.h"
#include "pager.h"
#include "reader.h"
#include "trace_stats.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "tph stats FILE [--top N] [--json] [--no-pager] [--where EXPR]"

static void put_ms(tp_buf *out, double ms)
{
    char text[32];
    tp_format_elapsed(ms, text, sizeof text);
    tp_buf_printf(out, "%10s", text);
}

/* A thread's row names it as `threads` in the header does. */
static void put_group_name(tp_buf *out, const tp_group *g, const tp_header *h)
{
    tp_thread_ref t;
    if (!h || !tp_thread_group_ref(g->name, &t)) {
        tp_text_append(out, g->name);
        return;
    }
    const char *name = tp_header_thread_name(h, t);
    if (name) {
        tp_text_append(out, name);
        tp_buf_printf(out, " (%lld", (long long)t.ident);
    } else {
        tp_buf_printf(out, "%lld", (long long)t.ident);
    }
    if (t.has_native)
        tp_buf_printf(out, name ? ", tid %lld" : " (tid %lld", (long long)t.native);
    if (name || t.has_native)
        tp_buf_putc(out, ')');
}

/* A group's self time is at most its total when times are exact; each
 * call's self is kept at zero or more, and with times rounded to the
 * microsecond in the file a call's children can add up to a little more
 * than the call, so the sum can pass the total by those roundings. */
static double shown_self_ms(const tp_group *g)
{
    return g->self_ms < g->total_ms ? g->self_ms : g->total_ms;
}

static void put_row(tp_buf *out, const tp_group *g, const tp_header *thread_names)
{
    tp_buf_puts(out, "  ");
    put_ms(out, g->total_ms);
    put_ms(out, shown_self_ms(g));
    tp_buf_printf(out, " %8llu", (unsigned long long)g->calls);
    put_ms(out, g->calls ? g->sum_ms / (double)g->calls : 0);
    tp_buf_puts(out, "  ");
    put_group_name(out, g, thread_names);
    tp_buf_putc(out, '\n');
}

static void put_table(tp_buf *out, const char *title, const char *what,
                      const tp_group_table *t, tp_sort_key key, size_t top,
                      const tp_header *thread_names)
{
    tp_buf_printf(out, "\n%s\n  %10s%10s %8s%10s  %s\n", title, "TOTAL", "SELF", "CALLS", "AVG", what);
    size_t *order = tp_group_sorted(t, key);
    if (!order)
        tp_buf_fail(out);
    size_t n = t->count < top ? t->count : top;
    for (size_t i = 0; order && i < n; i++)
        put_row(out, &t->items[order[i]], thread_names);
    free(order);
}

static void render_text(tp_buf *out, const char *path, const tp_header *h,
                        const tp_trace_stats *s, size_t top)
{
    const char *label = tp_header_str(h, "label");
    tp_buf_puts(out, "Trace: ");
    tp_text_append(out, label && *label ? label : path);
    tp_buf_printf(out, "\nCalls: %llu  Functions: %zu  Modules: %zu  Threads: %zu\n",
                  (unsigned long long)s->calls, s->functions.count, s->modules.count,
                  s->threads.count);
    if (s->calls == 0) {
        tp_buf_puts(out, "\n(no calls recorded)\n");
        return;
    }
    put_table(out, "Slowest functions by total time:", "FUNCTION", &s->functions, TP_BY_TOTAL, top, NULL);
    put_table(out, "Slowest functions by self time:", "FUNCTION", &s->functions, TP_BY_SELF, top, NULL);
    put_table(out, "Most called functions:", "FUNCTION", &s->functions, TP_BY_CALLS, top, NULL);
    put_table(out, "By module:", "MODULE", &s->modules, TP_BY_TOTAL, (size_t)-1, NULL);
    put_table(out, "By thread:", "THREAD", &s->threads, TP_BY_TOTAL, (size_t)-1, h);
}

/* A thread's row: `name` is its ident, then its kernel tid when the trace
 * gives it, and its name from the header's `threads` when it has one. */
static void json_group_name(tp_buf *out, const tp_group *g, const tp_header *h)
{
    tp_thread_ref t;
    bool thread = h && tp_thread_group_ref(g->name, &t);
    tp_buf_puts(out, "\"name\": \"");
    if (thread)
        tp_buf_printf(out, "%lld\"", (long long)t.ident);
    else {
        tp_json_escape(out, g->name);
        tp_buf_putc(out, '"');
    }
    if (!thread)
        return;
    if (t.has_native)
        tp_buf_printf(out, ", \"native_id\": %lld", (long long)t.native);
    const char *name = tp_header_thread_name(h, t);
    if (!name)
        return;
    tp_buf_puts(out, ", \"thread_name\": \"");
    tp_json_escape(out, name);
    tp_buf_putc(out, '"');
}

static void json_rows(tp_buf *out, const char *key, const tp_group_table *t, tp_sort_key sort,
                      size_t top, const tp_header *thread_names)
{
    tp_buf_printf(out, ",\n  \"%s\": [", key);
    size_t *order = tp_group_sorted(t, sort);
    if (!order)
        tp_buf_fail(out);
    size_t n = t->count < top ? t->count : top;
    for (size_t i = 0; order && i < n; i++) {
        const tp_group *g = &t->items[order[i]];
        tp_buf_printf(out, "%s\n    {", i ? "," : "");
        json_group_name(out, g, thread_names);
        tp_buf_printf(out, ", \"calls\": %llu, \"total_ms\": %.3f, \"self_ms\": %.3f, "
                      "\"avg_ms\": %.3f, \"max_ms\": %.3f, \"exceptions\": %llu}",
                      (unsigned long long)g->calls, g->total_ms, shown_self_ms(g),
                      g->calls ? g->sum_ms / (double)g->calls : 0, g->max_ms,
                      (unsigned long long)g->exceptions);
    }
    free(order);
    tp_buf_puts(out, n ? "\n  ]" : "]");
}

static void render_json(tp_buf *out, const tp_header *h, const tp_trace_stats *s, size_t top)
{
    tp_buf_printf(out, "{\n  \"calls\": %llu", (unsigned long long)s->calls);
    json_rows(out, "by_total", &s->functions, TP_BY_TOTAL, top, NULL);
    json_rows(out, "by_self", &s->functions, TP_BY_SELF, top, NULL);
    json_rows(out, "most_called", &s->functions, TP_BY_CALLS, top, NULL);
    json_rows(out, "modules", &s->modules, TP_BY_TOTAL, (size_t)-1, NULL);
    json_rows(out, "threads", &s->threads, TP_BY_TOTAL, (size_t)-1, h);
    tp_buf_puts(out, "\n}\n");
}

/* The report, whole or not at all. */
static int print_report(tp_buf *out, const char *path, bool use_pager)
{
    if (out->failed) {
        fprintf(stderr, "tph: %s: out of memory\n", path);
        return 1;
    }
    if (use_pager)
        tp_pager_start();
    fwrite(out->data ? out->data : "", 1, out->len, stdout);
    tp_pager_finish();
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option options[] = {
        {"top", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"no-pager", no_argument, NULL, 'P'},
        {"where", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, use_pager = true;
    int64_t top = 10;
    const char *where_text = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'w': where_text = optarg; break;
        case 't':
            if (!tp_parse_int(optarg, 1, INT32_MAX, &top))
                return tp_usage_error("stats", USAGE, "--top wants a number >= 1, got", optarg);
            break;
        case 'j': json = true; break;
        case 'P': use_pager = false; break;
        case 'h':
            printf("usage: %s\n\nSlowest functions by total and by self time, most called,\n"
                   "and totals per module and per thread (default --top 10).\n"
                   "--where EXPR counts only the calls matching a filter expression\n"
                   "(docs/filters.md).\n", USAGE);
            return 0;
        default: return tp_bad_option("stats", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("stats", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    const char *path = argv[optind];
    tp_trace_stats s;
    tp_trace_stats_init(&s);
    tp_expr *where = where_text ? tp_expr_parse_option("stats", where_text) : NULL;
    if (where_text && !where)
        return 2;
    s.where = where;
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT, out = TP_BUF_INIT;
    tp_reader_callbacks cb = {tp_trace_stats_begin, tp_trace_stats_end, &s, false};
    /* the counts need names, modules and exceptions; an expression any field */
    unsigned skip = where ? 0 : TP_TEXT_FILE | TP_TEXT_KIND | TP_TEXT_ARGS | TP_TEXT_RETURN;
    int rc = 1;
    if (tp_read_trace_skip(path, &cb, skip, &h, &err) != 0) {
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    } else if (s.failed || (where && !tp_trace_stats_drop_empty(&s))) {
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", path);
    } else {
        if (json)
            render_json(&out, &h, &s, (size_t)top);
        else
            render_text(&out, path, &h, &s, (size_t)top);
        rc = print_report(&out, path, use_pager && !json);
    }
    tp_buf_free(&err);
    tp_buf_free(&out);
    tp_header_free(&h);
    tp_trace_stats_free(&s);
    tp_expr_free(where);
    return rc;
}
