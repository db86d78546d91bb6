#include "tree_plan.h"
#include "node_match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_LINE UINT64_MAX
#define LAST_BIT 0x8

/* What the pass knows about the children of one open call (or of a thread
 * section's roots). */
struct child_run {
    uint64_t last_line;          /* index of the last child line so far */
    uint64_t run_key, run_first, run_second, run_len;
    bool has_summary;            /* some child is summarised: a [+N] line ends the list */
};

struct plan_frame {
    uint64_t index;
    uint64_t key;
    double child_ms;             /* summed elapsed of the children (for --self) */
    bool matched, excluded, subtree_match;
    bool where_keep;             /* --where: not excluded, keep patterns agree */
    uint64_t where_early;        /* --where: comparisons decided at the start */
    size_t section;              /* roots only */
    struct child_run children;
};

struct section_state {
    tp_section info;
    struct child_run roots;
};

struct tp_tree_plan {
    tp_tree_options opt;
    unsigned char *states;       /* two calls per byte, low nibble first */
    float *self_ms;              /* one per call with --self */
    uint64_t count, cap;
    struct plan_frame *frames;   /* one per open call */
    size_t nframes, frames_cap;
    struct section_state *sections;
    size_t nsections, sections_cap;
    size_t last_section;         /* cache: roots of one thread come in runs */
    tp_buf name;
    bool failed;
};

static void run_reset(struct child_run *run)
{
    memset(run, 0, sizeof *run);
    run->last_line = NO_LINE;
}

tp_tree_plan *tp_tree_plan_new(const tp_tree_options *options)
{
    tp_tree_plan *p = calloc(1, sizeof *p);
    if (p)
        p->opt = *options;
    return p;
}

void tp_tree_plan_free(tp_tree_plan *p)
{
    if (!p)
        return;
    free(p->states);
    free(p->self_ms);
    free(p->frames);
    free(p->sections);
    tp_buf_free(&p->name);
    free(p);
}

static void set_nibble(tp_tree_plan *p, uint64_t index, unsigned value, unsigned mask)
{
    if (index >= p->count)
        return;
    unsigned shift = (index & 1) ? 4 : 0;
    unsigned char *b = &p->states[index / 2];
    *b = (unsigned char)((*b & ~(mask << shift)) | ((value & mask) << shift));
}

static unsigned get_nibble(const tp_tree_plan *p, uint64_t index)
{
    if (index >= p->count)
        return TP_LINE_HIDDEN;
    return (p->states[index / 2] >> ((index & 1) ? 4 : 0)) & 0xF;
}

static bool grow_per_call(tp_tree_plan *p, uint64_t index)
{
    if (index < p->cap)
        return true;
    uint64_t cap = p->cap ? p->cap * 2 : 4096;
    unsigned char *states = realloc(p->states, cap / 2);
    if (!states)
        return false;
    memset(states + p->cap / 2, 0, (cap - p->cap) / 2);
    p->states = states;
    if (p->opt.self_time) {
        float *self = realloc(p->self_ms, cap * sizeof *self);
        if (!self)
            return false;
        p->self_ms = self;
    }
    p->cap = cap;
    return true;
}

static long find_section(const tp_tree_plan *p, tp_thread_ref thread)
{
    if (p->last_section < p->nsections
        && tp_thread_ref_equal(p->sections[p->last_section].info.thread, thread))
        return (long)p->last_section;
    for (size_t i = 0; i < p->nsections; i++) {
        if (tp_thread_ref_equal(p->sections[i].info.thread, thread))
            return (long)i;
    }
    return -1;
}

static bool root_section(tp_tree_plan *p, const tp_node *node, size_t *out)
{
    long found = find_section(p, tp_node_thread(node));
    if (found < 0) {
        if (p->nsections == p->sections_cap) {
            size_t cap = p->sections_cap ? p->sections_cap * 2 : 8;
            struct section_state *s = realloc(p->sections, cap * sizeof *s);
            if (!s)
                return false;
            p->sections = s;
            p->sections_cap = cap;
        }
        struct section_state *s = &p->sections[p->nsections];
        memset(s, 0, sizeof *s);
        s->info.thread = tp_node_thread(node);
        run_reset(&s->roots);
        found = (long)p->nsections++;
    }
    p->last_section = (size_t)found;
    p->sections[found].info.roots++;
    *out = (size_t)found;
    return true;
}

static bool any_match(const char **patterns, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (tp_pattern_match(patterns[i], name))
            return true;
    return false;
}

static bool push_frame(tp_tree_plan *p)
{
    if (p->nframes < p->frames_cap)
        return true;
    size_t cap = p->frames_cap ? p->frames_cap * 2 : 64;
    struct plan_frame *f = realloc(p->frames, cap * sizeof *f);
    if (!f)
        return false;
    p->frames = f;
    p->frames_cap = cap;
    return true;
}

/* --where: the call's start-time half; matched waits for its end. */
static void where_begin(const tp_tree_plan *p, struct plan_frame *f, const tp_node *node)
{
    tp_expr_call call;
    tp_expr_call_from_node(&call, node);
    f->where_keep = !f->excluded && (p->opt.n_keep == 0 || f->matched);
    f->where_early = tp_expr_early(p->opt.where, &call);
    f->matched = f->subtree_match = false;
}

static void where_end(struct plan_frame *f, const tp_tree_plan *p, const tp_node_end *e)
{
    tp_expr_call call = {
        .depth = e->depth, .thread = e->thread, .has_thread = e->has_thread,
        .elapsed_ms = e->elapsed_ms, .has_elapsed = e->has_elapsed,
        .self_ms = e->elapsed_ms > f->child_ms ? e->elapsed_ms - f->child_ms : 0,
        .has_self = e->has_elapsed,
    };
    f->matched = f->where_keep && tp_expr_finish(p->opt.where, f->where_early, &call);
    f->subtree_match |= f->matched;
}

void tp_tree_plan_begin(const tp_node *node, void *ctx)
{
    tp_tree_plan *p = ctx;
    if (p->failed || !grow_per_call(p, node->index) || !push_frame(p)) {
        p->failed = true;
        return;
    }
    p->count = node->index + 1;
    struct plan_frame *f = &p->frames[p->nframes++];
    memset(f, 0, sizeof *f);
    run_reset(&f->children);
    f->index = node->index;
    tp_node_display_name(&p->name, node);
    const char *name = tp_buf_cstr(&p->name);
    f->key = tp_function_key(name);
    bool parent_excluded = p->nframes > 1 && p->frames[p->nframes - 2].excluded;
    f->excluded = parent_excluded || any_match(p->opt.drop, p->opt.n_drop, name);
    f->matched = !f->excluded && any_match(p->opt.keep, p->opt.n_keep, name);
    f->subtree_match = f->matched;
    if (p->opt.where)
        where_begin(p, f, node);
    if (node->depth == 0 && !root_section(p, node, &f->section))
        p->failed = true;
}

static tp_line_state decide_state(const tp_tree_plan *p, const struct plan_frame *f,
                                  const tp_node_end *e)
{
    if (f->excluded || ((p->opt.n_keep > 0 || p->opt.where) && !f->subtree_match))
        return TP_LINE_HIDDEN;
    if (p->opt.max_depth && e->depth >= p->opt.max_depth)
        return TP_LINE_SUMMARISED;
    if (p->opt.min_ms > 0 && e->has_elapsed && e->elapsed_ms < p->opt.min_ms)
        return TP_LINE_SUMMARISED;
    return TP_LINE_SHOWN;
}

/* The last line among a finished list of children gets the └── corner,
 * unless a [+N calls] line comes after it. */
static void close_children(tp_tree_plan *p, const struct child_run *run)
{
    if (!run->has_summary && run->last_line != NO_LINE)
        set_nibble(p, run->last_line, LAST_BIT, LAST_BIT);
}

/* A shown call joins the run of same-function siblings before it; a run
 * of three or more becomes one folded line at its first call. */
static void add_shown_child(tp_tree_plan *p, struct child_run *run, uint64_t index, uint64_t key)
{
    if (!p->opt.fold || run->run_len == 0 || run->run_key != key) {
        run->run_key = key;
        run->run_first = index;
        run->run_len = 1;
        run->last_line = index;
        return;
    }
    run->run_len++;
    if (run->run_len == 2) {
        run->run_second = index;
        run->last_line = index;
        return;
    }
    if (run->run_len == 3) {
        set_nibble(p, run->run_first, TP_LINE_FOLD_START, 0x7);
        set_nibble(p, run->run_second, TP_LINE_FOLD_MEMBER, 0x7);
        run->last_line = run->run_first;
    }
    set_nibble(p, index, TP_LINE_FOLD_MEMBER, 0x7);
}

void tp_tree_plan_end(const tp_node_end *e, void *ctx)
{
    tp_tree_plan *p = ctx;
    if (p->failed || p->nframes == 0)
        return;
    struct plan_frame *f = &p->frames[p->nframes - 1];
    if (p->opt.where)
        where_end(f, p, e);
    double elapsed = e->has_elapsed ? e->elapsed_ms : NAN;
    if (p->opt.self_time && f->index < p->cap)
        p->self_ms[f->index] = (float)(e->has_elapsed ? elapsed - f->child_ms : NAN);
    close_children(p, &f->children);
    tp_line_state state = decide_state(p, f, e);
    set_nibble(p, f->index, state, 0x7);
    struct child_run *siblings;
    if (p->nframes > 1) {
        struct plan_frame *parent = &p->frames[p->nframes - 2];
        parent->subtree_match |= f->subtree_match;
        if (e->has_elapsed)
            parent->child_ms += elapsed;
        siblings = &parent->children;
    } else {
        siblings = &p->sections[f->section].roots;
    }
    if (state == TP_LINE_SUMMARISED)
        siblings->has_summary = true;
    else if (state == TP_LINE_SHOWN)
        add_shown_child(p, siblings, f->index, f->key);
    p->nframes--;
}

bool tp_tree_plan_finish(tp_tree_plan *p)
{
    for (size_t i = 0; i < p->nsections; i++)
        close_children(p, &p->sections[i].roots);
    return !p->failed;
}

tp_line_state tp_tree_plan_state(const tp_tree_plan *p, uint64_t index)
{
    return (tp_line_state)(get_nibble(p, index) & 0x7);
}

bool tp_tree_plan_is_last(const tp_tree_plan *p, uint64_t index)
{
    return (get_nibble(p, index) & LAST_BIT) != 0;
}

double tp_tree_plan_self_ms(const tp_tree_plan *p, uint64_t index)
{
    if (!p->self_ms || index >= p->count)
        return NAN;
    return p->self_ms[index];
}

size_t tp_tree_plan_section_count(const tp_tree_plan *p)
{
    return p->nsections;
}

const tp_section *tp_tree_plan_section(const tp_tree_plan *p, size_t i)
{
    return i < p->nsections ? &p->sections[i].info : NULL;
}

long tp_tree_plan_find_section(const tp_tree_plan *p, tp_thread_ref thread)
{
    return find_section(p, thread);
}

uint64_t tp_tree_plan_node_count(const tp_tree_plan *p)
{
    return p->count;
}
