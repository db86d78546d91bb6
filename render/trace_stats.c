#include "trace_stats.h"
#include "node_match.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tp_stats_frame {
    size_t function, module, thread;
    double child_ms;
    /* --where only: */
    uint64_t where_early;
    double totals_at_begin[3];   /* function, module, thread total_ms */
    bool raised;
};

void tp_trace_stats_init(tp_trace_stats *s)
{
    memset(s, 0, sizeof *s);
}

static void table_free(tp_group_table *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i].name);
    free(t->items);
    tp_strmap_free(&t->index);
}

void tp_trace_stats_free(tp_trace_stats *s)
{
    table_free(&s->functions);
    table_free(&s->modules);
    table_free(&s->threads);
    tp_strmap_free(&s->exceptions);
    free(s->stack);
    tp_buf_free(&s->scratch);
    memset(s, 0, sizeof *s);
}

static bool intern_slow(tp_group_table *t, const char *name, size_t *out)
{
    if (t->count >= TP_MAX_FUNCTIONS && !tp_strmap_get(&t->index, name, out))
        name = "(other functions)";
    bool added;
    if (!tp_strmap_intern(&t->index, name, t->count, out, &added))
        return false;
    if (!added)
        return true;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tp_group *items = realloc(t->items, cap * sizeof *items);
        if (!items)
            return false;
        t->items = items;
        t->cap = cap;
    }
    tp_group *g = &t->items[t->count];
    memset(g, 0, sizeof *g);
    g->name = strdup(name);
    if (!g->name)
        return false;
    t->count++;
    return true;
}

/* Neighbouring calls often share a module (and a function): one strcmp
 * against the last group found saves a hash and a probe. */
static bool intern(tp_group_table *t, const char *name, size_t *out)
{
    if (t->has_last && strcmp(t->items[t->last].name, name) == 0) {
        *out = t->last;
        return true;
    }
    if (!intern_slow(t, name, out))
        return false;
    t->last = *out;
    t->has_last = true;
    return true;
}

bool tp_thread_group_ref(const char *name, tp_thread_ref *out)
{
    char *end;
    errno = 0;
    long long ident = strtoll(name, &end, 10);
    if (end == name || errno)
        return false;
    *out = (tp_thread_ref){.ident = ident, .has_ident = true};
    if (*end == '\x1f') {
        const char *native = end + 1;
        out->native = strtoll(native, &end, 10);
        out->has_native = end != native && !errno;
    }
    return *end == '\0';
}

/* The thread's group; the last one is remembered, so a number is
 * formatted only when the thread changes. */
static bool thread_group(tp_trace_stats *s, const tp_node *node, size_t *out)
{
    tp_thread_ref ref = tp_node_thread(node);
    if (s->last_thread.valid && tp_thread_ref_equal(s->last_thread.thread, ref)) {
        *out = s->last_thread.group;
        return true;
    }
    char thread[64];
    if (ref.has_ident && ref.has_native)
        snprintf(thread, sizeof thread, "%lld\x1f%lld", (long long)ref.ident, (long long)ref.native);
    else if (ref.has_ident)
        snprintf(thread, sizeof thread, "%lld", (long long)ref.ident);
    else
        snprintf(thread, sizeof thread, "(no thread id)");
    if (!intern(&s->threads, thread, out))
        return false;
    s->last_thread.thread = ref;
    s->last_thread.group = *out;
    s->last_thread.valid = true;
    return true;
}

static bool note_exception(tp_trace_stats *s, const char *function, const char *exception)
{
    size_t type_len = strcspn(exception, ":");
    tp_buf_reset(&s->scratch);
    tp_buf_printf(&s->scratch, "%s\x1f%.*s", function, (int)type_len, exception);
    size_t ignored;
    bool added;
    return tp_strmap_intern(&s->exceptions, tp_buf_cstr(&s->scratch), 0, &ignored, &added);
}

static bool push_frame(tp_trace_stats *s)
{
    if (s->depth < s->stack_cap)
        return true;
    size_t cap = s->stack_cap ? s->stack_cap * 2 : 64;
    struct tp_stats_frame *f = realloc(s->stack, cap * sizeof *f);
    if (!f)
        return false;
    s->stack = f;
    s->stack_cap = cap;
    return true;
}

static void where_begin(tp_trace_stats *s, struct tp_stats_frame *f, const tp_node *node)
{
    tp_expr_call call;
    tp_expr_call_from_node(&call, node);
    f->where_early = tp_expr_early(s->where, &call);
    f->raised = node->exception != NULL;
    f->totals_at_begin[0] = s->functions.items[f->function].total_ms;
    f->totals_at_begin[1] = s->modules.items[f->module].total_ms;
    f->totals_at_begin[2] = s->threads.items[f->thread].total_ms;
}

void tp_trace_stats_begin(const tp_node *node, void *ctx)
{
    tp_trace_stats *s = ctx;
    if (s->failed || !push_frame(s)) {
        s->failed = true;
        return;
    }
    struct tp_stats_frame *f = &s->stack[s->depth];
    tp_node_display_name(&s->scratch, node);
    bool ok = intern(&s->functions, tp_buf_cstr(&s->scratch), &f->function)
              && intern(&s->modules, node->module ? node->module : "(no module)", &f->module)
              && thread_group(s, node, &f->thread);
    if (ok && s->where)
        where_begin(s, f, node);
    else if (ok && node->exception) {
        tp_group *fn = &s->functions.items[f->function];
        fn->exceptions++;
        s->modules.items[f->module].exceptions++;
        s->threads.items[f->thread].exceptions++;
        ok = note_exception(s, fn->name, node->exception);
    }
    if (!ok) {
        s->failed = true;
        return;
    }
    f->child_ms = 0;
    s->functions.items[f->function].active++;
    s->modules.items[f->module].active++;
    s->depth++;
}

/* Adds one finished call to a group; `outermost` says whether it counts
 * toward the non-recursive total. */
static void add_call(tp_group *g, double elapsed, double self, bool outermost)
{
    g->calls++;
    g->self_ms += self;
    g->sum_ms += elapsed;
    if (elapsed > g->max_ms)
        g->max_ms = elapsed;
    if (outermost)
        g->total_ms += elapsed;
}

/* --where: a matching call's total replaces what matching calls of the
 * same group below it added, so nesting is not counted twice. */
static void where_end(tp_trace_stats *s, const struct tp_stats_frame *f, const tp_node_end *e,
                      double elapsed, double self)
{
    tp_expr_call call = {
        .depth = e->depth, .thread = e->thread, .has_thread = e->has_thread,
        .elapsed_ms = elapsed, .has_elapsed = e->has_elapsed, .self_ms = self,
        .has_self = e->has_elapsed,
    };
    tp_group *groups[3] = {&s->functions.items[f->function], &s->modules.items[f->module],
                           &s->threads.items[f->thread]};
    groups[0]->active--;
    groups[1]->active--;
    if (!tp_expr_finish(s->where, f->where_early, &call))
        return;
    for (int i = 0; i < 3; i++) {
        add_call(groups[i], elapsed, self, false);
        groups[i]->total_ms = f->totals_at_begin[i] + elapsed;
    }
    for (int i = 0; i < 3; i++)
        groups[i]->exceptions += f->raised;
    s->calls++;
}

void tp_trace_stats_end(const tp_node_end *e, void *ctx)
{
    tp_trace_stats *s = ctx;
    if (s->failed || s->depth == 0)
        return;
    struct tp_stats_frame *f = &s->stack[--s->depth];
    double elapsed = e->has_elapsed && e->elapsed_ms > 0 ? e->elapsed_ms : 0;
    double self = elapsed > f->child_ms ? elapsed - f->child_ms : 0;
    if (s->where) {
        where_end(s, f, e, elapsed, self);
        if (s->depth > 0)
            s->stack[s->depth - 1].child_ms += elapsed;
        return;
    }
    tp_group *fn = &s->functions.items[f->function];
    tp_group *mod = &s->modules.items[f->module];
    add_call(fn, elapsed, self, --fn->active == 0);
    add_call(mod, elapsed, self, --mod->active == 0);
    add_call(&s->threads.items[f->thread], elapsed, self, s->depth == 0);
    if (s->depth > 0)
        s->stack[s->depth - 1].child_ms += elapsed;
    s->calls++;
}

static bool drop_empty_groups(tp_group_table *t)
{
    tp_strmap index = TP_STRMAP_INIT;
    size_t kept = 0;
    bool ok = true;
    for (size_t i = 0; i < t->count; i++) {
        if (t->items[i].calls == 0) {
            free(t->items[i].name);
            continue;
        }
        size_t ignored;
        bool added;
        t->items[kept] = t->items[i];
        ok = ok && tp_strmap_intern(&index, t->items[kept].name, kept, &ignored, &added);
        kept++;
    }
    t->count = kept;
    t->has_last = false;
    tp_strmap_free(&t->index);
    t->index = index;
    return ok;
}

bool tp_trace_stats_drop_empty(tp_trace_stats *s)
{
    s->last_thread.valid = false;
    bool ok = drop_empty_groups(&s->functions);
    ok = drop_empty_groups(&s->modules) && ok;
    return drop_empty_groups(&s->threads) && ok;
}

/* qsort has no context argument in C11; the key rides in a thread-local
 * owned by tp_group_sorted for the length of one call. */
static _Thread_local struct { const tp_group *items; tp_sort_key key; } sort_ctx;

static double sort_value(const tp_group *g)
{
    switch (sort_ctx.key) {
    case TP_BY_SELF: return g->self_ms;
    case TP_BY_CALLS: return (double)g->calls;
    default: return g->total_ms;
    }
}

static int compare_groups(const void *a, const void *b)
{
    const tp_group *ga = &sort_ctx.items[*(const size_t *)a];
    const tp_group *gb = &sort_ctx.items[*(const size_t *)b];
    double va = sort_value(ga), vb = sort_value(gb);
    if (va != vb)
        return va > vb ? -1 : 1;
    return strcmp(ga->name, gb->name);
}

size_t *tp_group_sorted(const tp_group_table *t, tp_sort_key key)
{
    size_t *order = malloc((t->count ? t->count : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < t->count; i++)
        order[i] = i;
    sort_ctx.items = t->items;
    sort_ctx.key = key;
    qsort(order, t->count, sizeof *order, compare_groups);
    return order;
}

const tp_group *tp_group_find(const tp_group_table *t, const char *name)
{
    size_t i;
    return tp_strmap_get(&t->index, name, &i) ? &t->items[i] : NULL;
}
