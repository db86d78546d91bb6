/* The first pass of `tph tree`: decides, for every call in pre-order, how
 * the second pass shows it, so the second pass can print while it streams.
 *
 * Memory: 4 bits per call (the line state and whether it is the last line
 * among its siblings), plus 4 bytes per call with --self (the self time),
 * plus a small frame per open ancestor and one per thread. A 1,000,000-call
 * trace costs 0.5 MB (4.5 MB with --self). */
#ifndef TPH_TREE_PLAN_H
#define TPH_TREE_PLAN_H

#include "expr.h"
#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum tp_line_state {
    TP_LINE_HIDDEN = 0,      /* not shown and not counted (filter) */
    TP_LINE_SUMMARISED = 1,  /* not shown, counted in its parent's [+N calls] */
    TP_LINE_SHOWN = 2,       /* its own line */
    TP_LINE_FOLD_START = 3,  /* first of a folded run: the run's one line */
    TP_LINE_FOLD_MEMBER = 4, /* later call of a folded run */
} tp_line_state;

typedef struct tp_tree_options {
    unsigned max_depth;          /* levels shown; 0 = all */
    double min_ms;               /* 0 = show all */
    const char **keep;           /* --filter PATTERN */
    size_t n_keep;
    const char **drop;           /* --filter !PATTERN */
    size_t n_drop;
    bool fold, self_time;
    const tp_expr *where;        /* --where EXPR, or NULL: like a keep pattern,
                                  * decided when the call ends (elapsed, self) */
} tp_tree_options;

/* A thread section: the roots recorded by one thread. */
typedef struct tp_section {
    tp_thread_ref thread;
    uint64_t roots;
} tp_section;

typedef struct tp_tree_plan tp_tree_plan;

tp_tree_plan *tp_tree_plan_new(const tp_tree_options *options);
void tp_tree_plan_free(tp_tree_plan *plan);

/* Reader callbacks for the first pass; ctx is the plan. */
void tp_tree_plan_begin(const tp_node *node, void *plan);
void tp_tree_plan_end(const tp_node_end *end, void *plan);

/* After the pass: false if memory ran out. */
bool tp_tree_plan_finish(tp_tree_plan *plan);

tp_line_state tp_tree_plan_state(const tp_tree_plan *plan, uint64_t index);
bool tp_tree_plan_is_last(const tp_tree_plan *plan, uint64_t index);
/* Self time of a call, NAN when unknown or --self was not asked for. */
double tp_tree_plan_self_ms(const tp_tree_plan *plan, uint64_t index);

size_t tp_tree_plan_section_count(const tp_tree_plan *plan);
const tp_section *tp_tree_plan_section(const tp_tree_plan *plan, size_t i);
/* The section a root with this thread belongs to, or -1. */
long tp_tree_plan_find_section(const tp_tree_plan *plan, tp_thread_ref thread);
uint64_t tp_tree_plan_node_count(const tp_tree_plan *plan);

#endif
