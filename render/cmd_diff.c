/* tph diff: what changed between two traces, function by function. */
#include "cli.h"
#include "commands.h"
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

#define USAGE "tph diff A B [--json] [--no-pager]"
#define TIME_CHANGE 0.20    /* slower or faster by more than this share */
#define COUNT_CHANGE 0.10   /* call count changed by more than this share */

/* Where the report goes: text, or JSON with the stable keys of docs/tph.md. */
typedef struct diff_out {
    tp_buf *buf;
    bool json;
} diff_out;

/* One list of the report: its JSON key and its text title. */
typedef struct diff_list {
    const char *key, *title;
} diff_list;

static void list_open(const diff_out *o, const diff_list *l)
{
    if (o->json)
        tp_buf_printf(o->buf, ",\n  \"%s\": [", l->key);
}

/* Before the list's item number `i`: the title (text) or a separator. */
static void list_item(const diff_out *o, const diff_list *l, size_t i)
{
    if (o->json)
        tp_buf_puts(o->buf, i ? ",\n    {\"name\": \"" : "\n    {\"name\": \"");
    else if (i == 0)
        tp_buf_printf(o->buf, "\n%s\n", l->title);
}

static void list_close(const diff_out *o, size_t n)
{
    if (o->json)
        tp_buf_puts(o->buf, n ? "\n  ]" : "]");
}

static double avg_ms(const tp_group *g)
{
    return g->calls ? g->sum_ms / (double)g->calls : 0;
}

static void put_ms(tp_buf *out, double ms)
{
    char text[32];
    tp_format_elapsed(ms, text, sizeof text);
    tp_buf_puts(out, text);
}

/* The function's name: JSON-escaped after list_item's `"name": "`, or
 * made safe for a terminal after `mark`. */
static void put_name(const diff_out *o, const char *mark, const char *name)
{
    if (o->json) {
        tp_json_escape(o->buf, name);
        tp_buf_putc(o->buf, '"');
        return;
    }
    tp_buf_printf(o->buf, "  %s", mark);
    tp_text_append(o->buf, name);
}

static void put_missing_item(const diff_out *o, const char *mark, const tp_group *g)
{
    put_name(o, mark, g->name);
    unsigned long long calls = (unsigned long long)g->calls;
    if (o->json) {
        tp_buf_printf(o->buf, ", \"calls\": %llu, \"total_ms\": %.3f, \"avg_ms\": %.3f}", calls,
                      g->total_ms, avg_ms(g));
        return;
    }
    tp_buf_printf(o->buf, "  [%llu call%s, ", calls, calls == 1 ? "" : "s");
    put_ms(o->buf, g->total_ms);
    tp_buf_puts(o->buf, "]\n");
}

/* Functions present in `from` and absent in `to`. */
static size_t put_missing(const diff_out *o, const diff_list *l, const char *mark,
                          const tp_trace_stats *from, const tp_trace_stats *to)
{
    size_t *order = tp_group_sorted(&from->functions, TP_BY_TOTAL);
    if (!order)
        tp_buf_fail(o->buf);
    size_t shown = 0;
    list_open(o, l);
    for (size_t i = 0; order && i < from->functions.count; i++) {
        const tp_group *g = &from->functions.items[order[i]];
        if (tp_group_find(&to->functions, g->name))
            continue;
        list_item(o, l, shown++);
        put_missing_item(o, mark, g);
    }
    list_close(o, shown);
    free(order);
    return shown;
}

static bool time_changed(const tp_group *a, const tp_group *b, bool slower)
{
    double was = avg_ms(a), now = avg_ms(b);
    if (was <= 0)
        return false;
    return slower ? now > was * (1 + TIME_CHANGE) : now < was * (1 - TIME_CHANGE);
}

static bool count_changed(const tp_group *a, const tp_group *b)
{
    double was = (double)a->calls, now = (double)b->calls;
    return was > 0 && (now > was * (1 + COUNT_CHANGE) || now < was * (1 - COUNT_CHANGE));
}

static double percent(double was, double now)
{
    return was > 0 ? (now - was) * 100.0 / was : 0;
}

static void put_change_json(tp_buf *out, const tp_group *ga, const tp_group *gb)
{
    double ca = (double)ga->calls, cb = (double)gb->calls;
    tp_buf_printf(out, ", \"calls_a\": %llu, \"calls_b\": %llu, \"calls_change_pct\": %.1f, "
                  "\"avg_ms_a\": %.3f, \"avg_ms_b\": %.3f, \"avg_change_pct\": %.1f}",
                  (unsigned long long)ga->calls, (unsigned long long)gb->calls, percent(ca, cb),
                  avg_ms(ga), avg_ms(gb), percent(avg_ms(ga), avg_ms(gb)));
}

/* One changed function; `counts` picks the call-count line over the time line. */
static void put_change_item(const diff_out *o, bool counts, const tp_group *ga, const tp_group *gb)
{
    put_name(o, "", gb->name);
    if (o->json) {
        put_change_json(o->buf, ga, gb);
        return;
    }
    tp_buf *out = o->buf;
    tp_buf_puts(out, "  ");
    if (counts) {
        tp_buf_printf(out, "%llu -> %llu calls (%+.0f%%)\n", (unsigned long long)ga->calls,
                      (unsigned long long)gb->calls, percent((double)ga->calls, (double)gb->calls));
        return;
    }
    put_ms(out, avg_ms(ga));
    tp_buf_puts(out, " -> ");
    put_ms(out, avg_ms(gb));
    tp_buf_printf(out, " per call (%+.0f%%)\n", percent(avg_ms(ga), avg_ms(gb)));
}

/* Slower (mode 0), faster (1) or call-count (2) changes of shared functions. */
static size_t put_changes(const diff_out *o, const diff_list *l, int mode,
                          const tp_trace_stats *a, const tp_trace_stats *b)
{
    size_t *order = tp_group_sorted(&b->functions, mode == 2 ? TP_BY_CALLS : TP_BY_TOTAL);
    if (!order)
        tp_buf_fail(o->buf);
    size_t shown = 0;
    list_open(o, l);
    for (size_t i = 0; order && i < b->functions.count; i++) {
        const tp_group *gb = &b->functions.items[order[i]];
        const tp_group *ga = tp_group_find(&a->functions, gb->name);
        if (!ga || !(mode == 2 ? count_changed(ga, gb) : time_changed(ga, gb, mode == 0)))
            continue;
        list_item(o, l, shown++);
        put_change_item(o, mode == 2, ga, gb);
    }
    list_close(o, shown);
    free(order);
    return shown;
}

/* Exception types raised by a function in B and never by it in A. The
 * keys are "function\x1fType"; the map is unordered, so sort for output. */
static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_exception_item(const diff_out *o, const char *key)
{
    const char *sep = strchr(key, '\x1f');
    tp_buf name = TP_BUF_INIT;
    tp_buf_printf(&name, "%.*s", (int)(sep - key), key);
    put_name(o, "", tp_buf_cstr(&name));
    tp_buf_free(&name);
    if (o->json) {
        tp_buf_puts(o->buf, ", \"type\": \"");
        tp_json_escape(o->buf, sep + 1);
        tp_buf_puts(o->buf, "\"}");
        return;
    }
    tp_buf_puts(o->buf, "  !! ");
    tp_text_append(o->buf, sep + 1);
    tp_buf_putc(o->buf, '\n');
}

static size_t put_new_exceptions(const diff_out *o, const tp_trace_stats *a, const tp_trace_stats *b)
{
    static const diff_list list = {"new_exceptions", "New exceptions:"};
    const tp_strmap *m = &b->exceptions;
    char **keys = malloc((m->count ? m->count : 1) * sizeof *keys);
    size_t n = 0, ignored;
    if (!keys)
        tp_buf_fail(o->buf);
    for (size_t i = 0; keys && i < m->cap; i++)
        if (m->keys[i] && !tp_strmap_get(&a->exceptions, m->keys[i], &ignored))
            keys[n++] = m->keys[i];
    if (n)
        qsort(keys, n, sizeof *keys, compare_strings);
    list_open(o, &list);
    for (size_t i = 0; i < n; i++) {
        list_item(o, &list, i);
        put_exception_item(o, keys[i]);
    }
    list_close(o, n);
    free(keys);
    return n;
}

static int read_stats(const char *path, tp_trace_stats *s)
{
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    tp_reader_callbacks cb = {tp_trace_stats_begin, tp_trace_stats_end, s, false};
    int rc = tp_read_trace(path, &cb, &h, &err);
    if (rc != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    else if (s->failed)
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", path);
    tp_buf_free(&err);
    tp_header_free(&h);
    return rc != 0 || s->failed ? -1 : 0;
}

static void put_side(const diff_out *o, const char *side, const char *path,
                     const tp_trace_stats *s)
{
    unsigned long long calls = (unsigned long long)s->calls;
    if (o->json) {
        tp_buf_printf(o->buf, "%s\n  \"%s\": {\"path\": \"", *side == 'a' ? "{" : ",", side);
        tp_json_escape(o->buf, path);
        tp_buf_printf(o->buf, "\", \"calls\": %llu}", calls);
        return;
    }
    tp_buf_printf(o->buf, "%s: ", *side == 'a' ? "A" : "B");
    tp_text_append(o->buf, path);
    tp_buf_printf(o->buf, " (%llu calls)\n", calls);
}

static void render_diff(const diff_out *o, const char *pa, const char *pb,
                        const tp_trace_stats *a, const tp_trace_stats *b)
{
    static const diff_list lists[] = {
        {"added", "Added (only in B):"},
        {"removed", "Removed (only in A):"},
        {"slower", "Slower by more than 20% (average per call):"},
        {"faster", "Faster by more than 20% (average per call):"},
        {"call_counts", "Call count changed by more than 10%:"},
    };
    put_side(o, "a", pa, a);
    put_side(o, "b", pb, b);
    if (o->json)
        tp_buf_printf(o->buf, ",\n  \"thresholds\": {\"avg_change_pct\": %.0f, \"calls_change_pct\": %.0f}",
                      TIME_CHANGE * 100, COUNT_CHANGE * 100);
    size_t n = put_missing(o, &lists[0], "+ ", b, a);
    n += put_missing(o, &lists[1], "- ", a, b);
    for (int mode = 0; mode < 3; mode++)
        n += put_changes(o, &lists[2 + mode], mode, a, b);
    n += put_new_exceptions(o, a, b);
    if (o->json)
        tp_buf_puts(o->buf, "\n}\n");
    else if (n == 0)
        tp_buf_puts(o->buf, "\nNo differences beyond the thresholds.\n");
}

static int print_help(void)
{
    printf("usage: %s\n\nFunctions added, removed, slower or faster by more than 20%%\n"
           "(average per call), call counts changed by more than 10%%, and new\n"
           "exception types, from trace A to trace B. --json prints the same lists\n"
           "as one JSON object.\n", USAGE);
    return 0;
}

static int diff_files(const char *pa, const char *pb, bool json, bool use_pager)
{
    tp_trace_stats a, b;
    tp_trace_stats_init(&a);
    tp_trace_stats_init(&b);
    int rc = 1;
    if (read_stats(pa, &a) == 0 && read_stats(pb, &b) == 0) {
        tp_buf out = TP_BUF_INIT;
        diff_out o = {&out, json};
        render_diff(&o, pa, pb, &a, &b);
        if (out.failed) {
            fprintf(stderr, "tph: diff %s %s: out of memory\n", pa, pb);
        } else {
            if (use_pager && !json)
                tp_pager_start();
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
            tp_pager_finish();
            rc = 0;
        }
        tp_buf_free(&out);
    }
    tp_trace_stats_free(&a);
    tp_trace_stats_free(&b);
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"no-pager", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, use_pager = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'P')
            use_pager = false;
        else if (c == 'h')
            return print_help();
        else
            return tp_bad_option("diff", USAGE, c, argv);
    }
    if (argc - optind != 2)
        return tp_usage_error("diff", USAGE, "two trace files expected", NULL);
    return diff_files(argv[optind], argv[optind + 1], json, use_pager);
}
