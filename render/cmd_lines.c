/* tph lines: the step log or the per-line summary of the calls recorded in
 * line mode (the `lines` key, docs/format.md), each under the call stack
 * that led to it. One streaming pass; what is held is the chain of open
 * calls (lines_chain.h) and one call's `lines` (lines_data.h, bounded). */
#include "cli.h"
#include "commands.h"
#include "json_value.h"
#include "lines_chain.h"
#include "lines_data.h"
#include "lines_print.h"
#include "pager.h"
#include "reader.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define USAGE "tph lines FILE [--function NAME] [--steps|--summary] [--no-pager]"

#define HELP \
    "Prints the calls recorded in line mode (config key line_functions), each\n" \
    "under the call stack that led to it, with its executed lines:\n\n" \
    "  --function NAME   only calls of NAME: a name, qualname or module.qualname\n" \
    "                    (module:qualname too)\n" \
    "  --steps           the step log: #N  +time  file:line  source, and the\n" \
    "                    variables below (default)\n" \
    "  --summary         each line once: line  xHITS  source, and the sampled\n" \
    "                    values of each variable (first ... last)\n" \
    "  --no-pager        never page output\n"

#define NO_LINES \
    "No line-mode calls in this trace.\n" \
    "Line mode records each executed line of the functions named in the\n" \
    "line_functions config key during a window, e.g.\n" \
    "  line_functions = [\"pkg.mod:func\"]   (or TRACEPATCH_LINE_FUNCTIONS=pkg.mod:func)\n"

struct lines_args {
    const char *path, *function;
    bool summary, use_pager;
};

struct run {
    const struct lines_args *a;
    tp_lines_chain chain;
    tp_lines lines;
    uint64_t shown, others;
    bool out_of_memory;
};

enum { OPT_FUNCTION = 256, OPT_STEPS, OPT_SUMMARY, OPT_NO_PAGER };

/* Returns -1 to go on, or the exit status. */
static int parse_args(struct lines_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"function", required_argument, NULL, OPT_FUNCTION},
        {"steps", no_argument, NULL, OPT_STEPS},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"no-pager", no_argument, NULL, OPT_NO_PAGER},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->use_pager = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return 0;
        case OPT_FUNCTION:
            if (!*optarg)
                return tp_usage_error("lines", USAGE, "--function wants a name", NULL);
            a->function = optarg;
            break;
        case OPT_STEPS: a->summary = false; break;
        case OPT_SUMMARY: a->summary = true; break;
        case OPT_NO_PAGER: a->use_pager = false; break;
        default: return tp_bad_option("lines", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("lines", USAGE, optind < argc ? "one FILE expected" : "missing FILE",
                              NULL);
    a->path = argv[optind];
    return -1;
}

/* NAME is the call's name, qualname, module.qualname or module:qualname. */
static bool function_matches(const char *want, const tp_node *n)
{
    if (!want)
        return true;
    if ((n->name && strcmp(want, n->name) == 0) || (n->qualname && strcmp(want, n->qualname) == 0))
        return true;
    if (!n->module || !n->qualname)
        return false;
    size_t m = strlen(n->module);
    return strncmp(want, n->module, m) == 0 && (want[m] == '.' || want[m] == ':')
           && strcmp(want + m + 1, n->qualname) == 0;
}

static void print_call(struct run *r, const tp_lines_frame *f)
{
    if (r->shown++ > 0)
        putchar('\n');
    printf("Call %" PRIu64, r->shown);
    if (f->has_thread)
        printf(" (thread %" PRId64 ")", f->thread);
    putchar('\n');
    tp_buf stack = TP_BUF_INIT;
    tp_lines_chain_print(&r->chain, &stack);
    fwrite(stack.data ? stack.data : "", 1, stack.len, stdout);
    tp_buf_free(&stack);
    tp_lines_print_counts(&r->lines, r->a->summary, stdout);
    if (r->a->summary)
        tp_lines_print_summary(&r->lines, stdout);
    else
        tp_lines_print_steps(&r->lines, tp_lines_chain_file(&r->chain, f), stdout);
}

/* Prints the call once both its `lines` value is read and its node has
 * been delivered (the value may come before or after `children`). */
static void maybe_show(struct run *r)
{
    const tp_lines_frame *f = tp_lines_chain_top(&r->chain);
    tp_lines *l = &r->lines;
    if (!l->started || !l->complete || !f || f->index != l->node_index)
        return;
    l->started = false;
    if (!l->present)
        return;
    if (f->match)
        print_call(r, f);
    else
        r->others++;
}

static void on_begin(const tp_node *node, void *ctx)
{
    struct run *r = ctx;
    while (r->chain.depth > node->depth)
        tp_lines_chain_pop(&r->chain);
    if (!tp_lines_chain_push(&r->chain, node, function_matches(r->a->function, node)))
        r->out_of_memory = true;
    maybe_show(r);
}

static void on_end(const tp_node_end *end, void *ctx)
{
    struct run *r = ctx;
    while (r->chain.depth > end->depth)
        tp_lines_chain_pop(&r->chain);
}

static const char *on_value(const tp_value_token *t, void *ctx)
{
    struct run *r = ctx;
    const char *problem = tp_lines_feed(&r->lines, t);
    if (!problem && t->level == 0 && r->lines.complete)
        maybe_show(r);
    return problem;
}

static void print_none(const struct run *r)
{
    if (r->others == 0) {
        fputs(NO_LINES, stdout);
        return;
    }
    tp_buf out = TP_BUF_INIT;
    tp_buf_puts(&out, "No line-mode calls of '");
    tp_text_append(&out, r->a->function);
    tp_buf_printf(&out, "' in this trace (%" PRIu64 " line-mode call%s of other functions).\n",
                  r->others, r->others == 1 ? "" : "s");
    fputs(tp_buf_cstr(&out), stdout);
    tp_buf_free(&out);
}

int cmd_lines(int argc, char **argv)
{
    struct lines_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    struct run r = {.a = &a, .chain = TP_LINES_CHAIN_INIT};
    tp_lines_init(&r.lines, !a.summary, a.summary);
    tp_reader_callbacks cb = {on_begin, on_end, &r, false};
    tp_reader_value value = {"lines", on_value};
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    if (a.use_pager)
        tp_pager_start();
    rc = tp_read_trace_value(a.path, &cb, &value, &h, &err) == 0 ? 0 : 1;
    if (rc == 0 && r.out_of_memory)
        rc = 1;
    else if (rc == 0 && r.shown == 0)
        print_none(&r);
    tp_pager_finish();
    if (r.out_of_memory && err.len == 0)
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", a.path);
    else if (err.len > 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    tp_buf_free(&err);
    tp_header_free(&h);
    tp_lines_chain_free(&r.chain);
    tp_lines_free(&r.lines);
    return rc;
}
