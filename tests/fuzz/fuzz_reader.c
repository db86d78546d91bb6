/* libFuzzer harness over the trace reader: every input is read with the
 * tree plan, the tree printer and the statistics as consumers, so their
 * handling of whatever the reader delivers is fuzzed too. */
#include "reader.h"
#include "trace_stats.h"
#include "tree_plan.h"
#include "tree_print.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void plan_and_stats_begin(const tp_node *n, void *ctx);
static void plan_and_stats_end(const tp_node_end *e, void *ctx);

struct consumers {
    tp_tree_plan *plan;
    tp_trace_stats stats;
};

static void plan_and_stats_begin(const tp_node *n, void *ctx)
{
    struct consumers *c = ctx;
    tp_tree_plan_begin(n, c->plan);
    tp_trace_stats_begin(n, &c->stats);
}

static void plan_and_stats_end(const tp_node_end *e, void *ctx)
{
    struct consumers *c = ctx;
    tp_tree_plan_end(e, c->plan);
    tp_trace_stats_end(e, &c->stats);
}

static void print_sections(const uint8_t *data, size_t size, const tp_tree_plan *plan, FILE *sink)
{
    tp_tree_view view = {true, true, true, true, false, false};
    for (size_t i = 0; i < tp_tree_plan_section_count(plan) && i < 4; i++) {
        tp_tree_printer *printer = tp_tree_printer_new(plan, &view, (long)i, sink);
        if (!printer)
            return;
        tp_reader_callbacks cb = {tp_tree_print_begin, tp_tree_print_end, printer, false};
        tp_header h;
        tp_header_init(&h);
        tp_buf err = TP_BUF_INIT;
        if (tp_read_trace_memory("fuzz", data, size, &cb, &h, &err) == 0)
            tp_tree_printer_finish(printer);
        tp_buf_free(&err);
        tp_header_free(&h);
        tp_tree_printer_free(printer);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *drop[] = {"b"};
    tp_tree_options opt = {.max_depth = 3, .min_ms = 0.5, .drop = drop, .n_drop = 1,
                           .fold = true, .self_time = true};
    struct consumers c;
    c.plan = tp_tree_plan_new(&opt);
    if (!c.plan)
        return 0;
    tp_trace_stats_init(&c.stats);
    tp_reader_callbacks cb = {plan_and_stats_begin, plan_and_stats_end, &c, false};
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    int rc = tp_read_trace_memory("fuzz", data, size, &cb, &h, &err);
    if (rc == 0 && tp_tree_plan_finish(c.plan)) {
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            print_sections(data, size, c.plan, sink);
            fclose(sink);
        }
    } else if (rc != 0 && !strstr(tp_buf_cstr(&err), " at byte ")) {
        __builtin_trap();   /* every error must say where */
    }
    tp_buf_free(&err);
    tp_header_free(&h);
    tp_trace_stats_free(&c.stats);
    tp_tree_plan_free(c.plan);
    return 0;
}
