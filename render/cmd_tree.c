/* tph tree: the call tree. One streaming pass over the file plans the lines
 * (tree_plan.h) and spools the texts (tree_spool.h); the printer then
 * replays the spool (tree_print.h). */
#include "cli.h"
#include "color.h"
#include "commands.h"
#include "expr_option.h"
#include "json_value.h"
#include "pager.h"
#include "reader.h"
#include "tree_plan.h"
#include "tree_print.h"
#include "tree_spool.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "tph tree FILE [--max-depth N] [--no-args] [--no-return] [--style unicode|ascii]\n" \
              "                [--thread NAME|ID] [--filter [!]PATTERN]... [--min-ms X] [--no-fold]\n" \
              "                [--self] [--source] [--color auto|always|never] [--no-pager]\n" \
              "                [--where EXPR]"

#define HELP \
    "Prints the call tree of a trace, one line per call:\n" \
    "  module.qualname(args) -> return  [elapsed]\n\n" \
    "  --max-depth N       show N levels (1 = roots only); deeper calls become [+N calls]\n" \
    "  --no-args           write (...) instead of the arguments\n" \
    "  --no-return         leave out return values (exceptions stay)\n" \
    "  --style S           unicode (default) or ascii connectors\n" \
    "  --thread NAME|ID    only this thread's calls (ID: its ident or kernel tid)\n" \
    "  --filter PATTERN    keep calls matching PATTERN and their callers; repeatable\n" \
    "  --filter !PATTERN   drop calls matching PATTERN with everything they called\n" \
    "                      (a PATTERN with * ? [ is a glob over module.qualname,\n" \
    "                      otherwise a substring)\n" \
    "  --where EXPR        keep calls matching the filter expression and their callers\n" \
    "                      (docs/filters.md), e.g. 'module == app.% and elapsed_ms > 5'\n" \
    "  --min-ms X          hide calls faster than X ms; they become [+N calls]\n" \
    "  --fold, --no-fold   fold 3+ consecutive sibling calls to one function (default on)\n" \
    "  --self              show self time (elapsed minus children)\n" \
    "  --source            show file:line\n" \
    "  --color WHEN        auto (default: a terminal and no NO_COLOR), always, never\n" \
    "  --no-pager          never page output\n"

struct tree_args {
    const char *path, *thread;
    tp_tree_options plan;
    tp_tree_view view;
    tp_color_mode color;
    bool use_pager;
    const char *keep[64], *drop[64];
    tp_expr *where;
};

enum { OPT_NO_ARGS = 256, OPT_NO_RETURN, OPT_STYLE, OPT_THREAD, OPT_FILTER, OPT_MIN_MS,
       OPT_FOLD, OPT_NO_FOLD, OPT_SELF, OPT_SOURCE, OPT_COLOR, OPT_NO_PAGER, OPT_MAX_DEPTH,
       OPT_WHERE };

static int add_filter(struct tree_args *a, const char *pattern)
{
    bool drop = pattern[0] == '!';
    size_t *n = drop ? &a->plan.n_drop : &a->plan.n_keep;
    if (*n >= 64)
        return tp_usage_error("tree", USAGE, "at most 64 filters of each kind:", pattern);
    if (!pattern[drop])
        return tp_usage_error("tree", USAGE, "empty filter pattern:", pattern);
    (drop ? a->drop : a->keep)[(*n)++] = pattern + drop;
    return 0;
}

_Static_assert(TP_MAX_NODE_DEPTH == 100000, "--max-depth's message names the limit");

static int parse_one(struct tree_args *a, int c, char **argv)
{
    int64_t n;
    switch (c) {
    case OPT_MAX_DEPTH:
        if (!tp_parse_int(optarg, 1, TP_MAX_NODE_DEPTH, &n))
            return tp_usage_error("tree", USAGE, "--max-depth wants 1 to 100000, got", optarg);
        a->plan.max_depth = (unsigned)n;
        return 0;
    case OPT_MIN_MS:
        if (!tp_parse_nonneg(optarg, &a->plan.min_ms))
            return tp_usage_error("tree", USAGE, "--min-ms wants a number >= 0, got", optarg);
        return 0;
    case OPT_STYLE:
        if (strcmp(optarg, "unicode") != 0 && strcmp(optarg, "ascii") != 0)
            return tp_usage_error("tree", USAGE, "--style wants unicode or ascii, got", optarg);
        a->view.ascii = strcmp(optarg, "ascii") == 0;
        return 0;
    case OPT_COLOR:
        if (!tp_color_parse(optarg, &a->color))
            return tp_usage_error("tree", USAGE, "--color wants auto, always or never, got", optarg);
        return 0;
    case OPT_FILTER: return add_filter(a, optarg);
    case OPT_WHERE:
        if (a->where)
            return tp_usage_error("tree", USAGE, "--where given twice:", optarg);
        a->plan.where = a->where = tp_expr_parse_option("tree", optarg);
        return a->where ? 0 : 2;
    case OPT_THREAD: a->thread = optarg; return 0;
    case OPT_NO_ARGS: a->view.args = false; return 0;
    case OPT_NO_RETURN: a->view.returns = false; return 0;
    case OPT_FOLD: a->plan.fold = true; return 0;
    case OPT_NO_FOLD: a->plan.fold = false; return 0;
    case OPT_SELF: a->plan.self_time = a->view.self_time = true; return 0;
    case OPT_SOURCE: a->view.source = true; return 0;
    case OPT_NO_PAGER: a->use_pager = false; return 0;
    default: return tp_bad_option("tree", USAGE, c, argv);
    }
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(struct tree_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"no-args", no_argument, NULL, OPT_NO_ARGS},
        {"no-return", no_argument, NULL, OPT_NO_RETURN},
        {"style", required_argument, NULL, OPT_STYLE},
        {"thread", required_argument, NULL, OPT_THREAD},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"where", required_argument, NULL, OPT_WHERE},
        {"min-ms", required_argument, NULL, OPT_MIN_MS},
        {"fold", no_argument, NULL, OPT_FOLD},
        {"no-fold", no_argument, NULL, OPT_NO_FOLD},
        {"self", no_argument, NULL, OPT_SELF},
        {"source", no_argument, NULL, OPT_SOURCE},
        {"color", required_argument, NULL, OPT_COLOR},
        {"no-pager", no_argument, NULL, OPT_NO_PAGER},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->plan.fold = a->view.args = a->view.returns = a->use_pager = true;
    a->plan.keep = a->keep;
    a->plan.drop = a->drop;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n\n%s", USAGE, HELP);
            return 0;
        }
        int rc = parse_one(a, c, argv);
        if (rc)
            return rc;
    }
    if (optind != argc - 1)
        return tp_usage_error("tree", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    a->path = argv[optind];
    return -1;
}

/* A class whose own __repr__ used up repr_budget_ms reads
 * <module.Class object at 0x...> from then on: says which, so that the
 * change within the tree is not taken for the app's. */
static void note_repr_over_budget(tp_buf *out, const tp_header *h)
{
    yajl_val rows = tp_header_get(h, "repr_over_budget");
    for (size_t i = 0; YAJL_IS_ARRAY(rows) && i < rows->u.array.len; i++) {
        const char *path[] = {"class", NULL};
        yajl_val name = yajl_tree_get(rows->u.array.values[i], path, yajl_t_string);
        if (!name)
            continue;
        tp_buf_puts(out, "Note: ");
        tp_text_append(out, YAJL_GET_STRING(name));
        tp_buf_puts(out, ".__repr__ used up repr_budget_ms; its later values read <");
        tp_text_append(out, YAJL_GET_STRING(name));
        tp_buf_puts(out, " object at 0x...>\n");
    }
}

static void print_intro(const char *path, const tp_header *h, uint64_t nodes)
{
    tp_buf out = TP_BUF_INIT;
    const char *label = tp_header_str(h, "label");
    const char *base = strrchr(path, '/');
    tp_buf_puts(&out, "Trace: ");
    tp_text_append(&out, label && *label ? label : base ? base + 1 : path);
    const char *time = tp_header_str(h, "timestamp");
    if (time) {
        tp_buf_puts(&out, "\nTime: ");
        tp_text_append(&out, time);
    }
    int64_t calls;
    if (!tp_header_int(h, "call_count", &calls))
        calls = (int64_t)nodes;
    tp_buf_printf(&out, "\nCalls: %lld\n", (long long)calls);
    bool limited = false;
    int64_t dropped = 0;
    if (tp_header_bool(h, "was_limited", &limited) && limited) {
        const char *reason = tp_header_str(h, "limit_reason");
        tp_buf_puts(&out, "Warning: trace was limited");
        if (reason) {
            tp_buf_puts(&out, " (");
            tp_text_append(&out, reason);
            tp_buf_putc(&out, ')');
        }
        if (tp_header_int(h, "dropped_calls", &dropped))
            tp_buf_printf(&out, ", %lld calls dropped", (long long)dropped);
        tp_buf_putc(&out, '\n');
    }
    note_repr_over_budget(&out, h);
    fputs(tp_buf_cstr(&out), stdout);
    tp_buf_free(&out);
}

static void print_section_title(const tp_header *h, const tp_section *s)
{
    tp_buf out = TP_BUF_INIT;
    const tp_thread_ref *t = &s->thread;
    const char *name = t->has_ident ? tp_header_thread_name(h, *t) : NULL;
    tp_buf_puts(&out, "\nThread ");
    if (name) {
        tp_text_append(&out, name);
        tp_buf_printf(&out, " (id %lld", (long long)t->ident);
    } else if (t->has_ident) {
        tp_buf_printf(&out, "%lld", (long long)t->ident);
    } else {
        tp_buf_puts(&out, "(no thread id)");
    }
    if (t->has_native)
        tp_buf_printf(&out, name ? ", tid %lld" : " (tid %lld)", (long long)t->native);
    if (name || t->has_native)
        tp_buf_putc(&out, ')');
    tp_buf_putc(&out, '\n');
    fputs(tp_buf_cstr(&out), stdout);
    tp_buf_free(&out);
}

static bool section_selected(const struct tree_args *a, const tp_header *h, const tp_section *s)
{
    if (!a->thread)
        return true;
    const tp_thread_ref *t = &s->thread;
    int64_t id;
    if (tp_parse_int(a->thread, INT64_MIN, INT64_MAX, &id)
        && ((t->has_ident && id == t->ident) || (t->has_native && id == t->native)))
        return true;
    const char *name = t->has_ident ? tp_header_thread_name(h, *t) : NULL;
    return name && strcmp(name, a->thread) == 0;
}

/* The second pass over one section; returns lines printed or -1. */
/* The second pass over one section, a replay of the spool; returns lines
 * printed or -1. */
static int64_t print_section(const struct tree_args *a, const tp_tree_plan *plan,
                             tp_tree_spool *spool, long section)
{
    tp_tree_printer *printer = tp_tree_printer_new(plan, &a->view, section, stdout);
    if (!printer) {
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", a->path);
        return -1;
    }
    tp_buf err = TP_BUF_INIT;
    int64_t lines = -1;
    if (!tp_tree_spool_replay(spool, tp_tree_print_begin, tp_tree_print_end, printer, &err))
        fprintf(stderr, "tph: %s: %s at byte 0\n", a->path, tp_buf_cstr(&err));
    else
        lines = (int64_t)tp_tree_printer_finish(printer);
    tp_buf_free(&err);
    tp_tree_printer_free(printer);
    return lines;
}

static int print_sections(const struct tree_args *a, const tp_tree_plan *plan,
                          tp_tree_spool *spool, const tp_header *h)
{
    size_t n = tp_tree_plan_section_count(plan);
    uint64_t lines = 0;
    bool any_selected = false;
    for (size_t i = 0; i < n; i++) {
        const tp_section *s = tp_tree_plan_section(plan, i);
        if (!section_selected(a, h, s))
            continue;
        any_selected = true;
        if (n > 1)
            print_section_title(h, s);
        int64_t printed = print_section(a, plan, spool, (long)i);
        if (printed < 0)
            return 1;
        if (printed == 0 && n > 1)
            printf("(no calls shown)\n");   /* under its own thread's heading */
        lines += (uint64_t)printed;
    }
    if (a->thread && !any_selected) {
        fprintf(stderr, "tph: %s: no thread '%s' in this trace at byte 0\n", a->path, a->thread);
        return 1;
    }
    if (n == 0)
        printf("(no calls recorded)\n");
    else if (lines == 0 && n == 1)
        printf("(no calls shown)\n");
    return 0;
}

/* The one pass over the file: the plan decides how each call is shown,
 * the spool keeps what the printer will need of it. */
struct first_pass {
    tp_tree_plan *plan;
    tp_tree_spool *spool;
};

static void first_pass_begin(const tp_node *node, void *ctx)
{
    struct first_pass *f = ctx;
    tp_tree_plan_begin(node, f->plan);
    tp_tree_spool_begin(f->spool, node);
}

static void first_pass_end(const tp_node_end *end, void *ctx)
{
    struct first_pass *f = ctx;
    tp_tree_plan_end(end, f->plan);
    tp_tree_spool_end(f->spool, end);
}

/* Reads the file into the plan and the spool; false after saying why. */
static bool read_trace(const struct tree_args *a, struct first_pass *f, tp_header *h)
{
    tp_reader_callbacks cb = {first_pass_begin, first_pass_end, f, false};
    /* what the view does not show; an expression may read any field */
    unsigned skip = a->where ? 0 : TP_TEXT_KIND | (a->view.source ? 0 : TP_TEXT_FILE)
                                   | (a->view.returns ? 0 : TP_TEXT_RETURN);
    tp_buf err = TP_BUF_INIT;
    bool ok = false;
    if (tp_read_trace_skip(a->path, &cb, skip, h, &err) != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    else if (!tp_tree_plan_finish(f->plan))
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", a->path);
    else if (!tp_tree_spool_finish(f->spool, &err))
        fprintf(stderr, "tph: %s: %s at byte 0\n", a->path, tp_buf_cstr(&err));
    else
        ok = true;
    tp_buf_free(&err);
    return ok;
}

int cmd_tree(int argc, char **argv)
{
    struct tree_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0) {
        tp_expr_free(a.where);
        return rc;
    }
    a.view.color = tp_color_enabled(a.color);
    tp_tree_plan *plan = tp_tree_plan_new(&a.plan);
    if (!plan) {
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", a.path);
        tp_expr_free(a.where);
        return 1;
    }
    tp_buf err = TP_BUF_INIT;
    struct first_pass pass = {plan, tp_tree_spool_new(&a.view, &err)};
    tp_header h;
    tp_header_init(&h);
    rc = 1;
    if (!pass.spool) {
        fprintf(stderr, "tph: %s: %s at byte 0\n", a.path, tp_buf_cstr(&err));
    } else if (read_trace(&a, &pass, &h)) {
        if (a.use_pager)
            tp_pager_start();
        print_intro(a.path, &h, h.node_count);
        if (tp_tree_plan_section_count(plan) <= 1)
            putchar('\n');
        rc = print_sections(&a, plan, pass.spool, &h);
        tp_pager_finish();
    }
    tp_buf_free(&err);
    tp_header_free(&h);
    tp_tree_spool_free(pass.spool);
    tp_tree_plan_free(plan);
    tp_expr_free(a.where);
    return rc;
}
