/* tph diff: what changed between two traces, function by function. */
#include "cli.h"
#include "commands.h"
#include "format_time.h"
#include "json_value.h"
#include "pager.h"
#include "reader.h"
#include "trace_stats.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "tph diff A B [--no-pager]"
#define TIME_CHANGE 0.20    /* slower or faster by more than this share */
#define COUNT_CHANGE 0.10   /* call count changed by more than this share */

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

static void put_name(tp_buf *out, const char *mark, const tp_group *g)
{
    tp_buf_printf(out, "  %s", mark);
    tp_text_append(out, g->name);
}

/* Functions present in `from` and absent in `to`. */
static size_t put_missing(tp_buf *out, const char *title, const char *mark,
                          const tp_trace_stats *from, const tp_trace_stats *to)
{
    size_t *order = tp_group_sorted(&from->functions, TP_BY_TOTAL);
    size_t shown = 0;
    for (size_t i = 0; order && i < from->functions.count; i++) {
        const tp_group *g = &from->functions.items[order[i]];
        if (tp_group_find(&to->functions, g->name))
            continue;
        if (shown++ == 0)
            tp_buf_printf(out, "\n%s\n", title);
        put_name(out, mark, g);
        tp_buf_printf(out, "  [%llu call%s, ", (unsigned long long)g->calls, g->calls == 1 ? "" : "s");
        put_ms(out, g->total_ms);
        tp_buf_puts(out, "]\n");
    }
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

/* Slower (mode 0), faster (1) or call-count (2) changes of shared functions. */
static size_t put_changes(tp_buf *out, const char *title, int mode,
                          const tp_trace_stats *a, const tp_trace_stats *b)
{
    size_t *order = tp_group_sorted(&b->functions, mode == 2 ? TP_BY_CALLS : TP_BY_TOTAL);
    size_t shown = 0;
    for (size_t i = 0; order && i < b->functions.count; i++) {
        const tp_group *gb = &b->functions.items[order[i]];
        const tp_group *ga = tp_group_find(&a->functions, gb->name);
        if (!ga || !(mode == 2 ? count_changed(ga, gb) : time_changed(ga, gb, mode == 0)))
            continue;
        if (shown++ == 0)
            tp_buf_printf(out, "\n%s\n", title);
        put_name(out, "", gb);
        tp_buf_puts(out, "  ");
        if (mode == 2) {
            tp_buf_printf(out, "%llu -> %llu calls (%+.0f%%)\n", (unsigned long long)ga->calls,
                          (unsigned long long)gb->calls, percent((double)ga->calls, (double)gb->calls));
            continue;
        }
        put_ms(out, avg_ms(ga));
        tp_buf_puts(out, " -> ");
        put_ms(out, avg_ms(gb));
        tp_buf_printf(out, " per call (%+.0f%%)\n", percent(avg_ms(ga), avg_ms(gb)));
    }
    free(order);
    return shown;
}

/* Exception types raised by a function in B and never by it in A. The
 * keys are "function\x1fType"; the map is unordered, so sort for output. */
static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t put_new_exceptions(tp_buf *out, const tp_trace_stats *a, const tp_trace_stats *b)
{
    const tp_strmap *m = &b->exceptions;
    char **keys = malloc((m->count ? m->count : 1) * sizeof *keys);
    size_t n = 0, ignored;
    for (size_t i = 0; keys && i < m->cap; i++)
        if (m->keys[i] && !tp_strmap_get(&a->exceptions, m->keys[i], &ignored))
            keys[n++] = m->keys[i];
    if (n)
        qsort(keys, n, sizeof *keys, compare_strings);
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            tp_buf_puts(out, "\nNew exceptions:\n");
        const char *sep = strchr(keys[i], '\x1f');
        tp_buf_puts(out, "  ");
        tp_buf_printf(out, "%.*s", (int)(sep - keys[i]), keys[i]);
        tp_buf_puts(out, "  !! ");
        tp_text_append(out, sep + 1);
        tp_buf_putc(out, '\n');
    }
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

static void render_diff(tp_buf *out, const char *pa, const char *pb,
                        const tp_trace_stats *a, const tp_trace_stats *b)
{
    tp_buf_puts(out, "A: ");
    tp_text_append(out, pa);
    tp_buf_printf(out, " (%llu calls)\nB: ", (unsigned long long)a->calls);
    tp_text_append(out, pb);
    tp_buf_printf(out, " (%llu calls)\n", (unsigned long long)b->calls);
    size_t n = put_missing(out, "Added (only in B):", "+ ", b, a);
    n += put_missing(out, "Removed (only in A):", "- ", a, b);
    n += put_changes(out, "Slower by more than 20% (average per call):", 0, a, b);
    n += put_changes(out, "Faster by more than 20% (average per call):", 1, a, b);
    n += put_changes(out, "Call count changed by more than 10%:", 2, a, b);
    n += put_new_exceptions(out, a, b);
    if (n == 0)
        tp_buf_puts(out, "\nNo differences beyond the thresholds.\n");
}

int cmd_diff(int argc, char **argv)
{
    static const struct option options[] = {
        {"no-pager", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool use_pager = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'P') {
            use_pager = false;
        } else if (c == 'h') {
            printf("usage: %s\n\nFunctions added, removed, slower or faster by more than 20%%\n"
                   "(average per call), call counts changed by more than 10%%, and new\n"
                   "exception types, from trace A to trace B.\n", USAGE);
            return 0;
        } else {
            return tp_bad_option("diff", USAGE, c, argv);
        }
    }
    if (argc - optind != 2)
        return tp_usage_error("diff", USAGE, "two trace files expected", NULL);
    tp_trace_stats a, b;
    tp_trace_stats_init(&a);
    tp_trace_stats_init(&b);
    int rc = 1;
    if (read_stats(argv[optind], &a) == 0 && read_stats(argv[optind + 1], &b) == 0) {
        tp_buf out = TP_BUF_INIT;
        render_diff(&out, argv[optind], argv[optind + 1], &a, &b);
        if (use_pager)
            tp_pager_start();
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        tp_pager_finish();
        tp_buf_free(&out);
        rc = 0;
    }
    tp_trace_stats_free(&a);
    tp_trace_stats_free(&b);
    return rc;
}
