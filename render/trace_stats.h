/* Aggregating a trace per function, module and thread while it streams:
 * what `tph stats` prints and `tph diff` compares. Memory grows with the
 * number of distinct functions (capped at TP_MAX_FUNCTIONS; later ones are
 * counted under "(other functions)"), not with the number of calls. */
#ifndef TPH_TRACE_STATS_H
#define TPH_TRACE_STATS_H

#include "expr.h"
#include "reader.h"
#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>

#define TP_MAX_FUNCTIONS 200000

/* One function, module or thread. `total_ms` counts a call only when no
 * call of the same group is already running below it on the stack, so
 * recursion is not counted twice; `self_ms` is elapsed minus the
 * children's elapsed, never below zero. */
typedef struct tp_group {
    char *name;
    uint64_t calls, exceptions;
    double total_ms, self_ms, sum_ms, max_ms;
    uint32_t active;             /* calls of this group open on the stack */
} tp_group;

typedef struct tp_group_table {
    tp_strmap index;
    tp_group *items;
    size_t count, cap;
    size_t last;                 /* the group found last, when has_last */
    bool has_last;
} tp_group_table;

typedef struct tp_trace_stats {
    tp_group_table functions, modules, threads;
    tp_strmap exceptions;        /* "function\x1fExceptionType" seen */
    uint64_t calls;
    struct tp_stats_frame *stack;
    size_t depth, stack_cap;
    tp_buf scratch;
    struct {                     /* the previous call's thread and its group */
        tp_thread_ref thread;
        bool valid;
        size_t group;
    } last_thread;
    bool failed;                 /* out of memory */
    /* --where: only matching calls are counted. A matching call's total
     * counts unless a matching call of the same group is open above it;
     * self time is still elapsed minus all its children. Set after init. */
    const tp_expr *where;
} tp_trace_stats;

/* A thread's group is named by its ident, "IDENT\x1fTID" when the trace
 * gives its kernel tid too (idents are reused: thread_ref.h); "(no thread
 * id)" when it has neither. This reads a name back; false for the last. */
bool tp_thread_group_ref(const char *name, tp_thread_ref *out);

void tp_trace_stats_init(tp_trace_stats *s);
void tp_trace_stats_free(tp_trace_stats *s);

/* Reader callbacks; ctx is the tp_trace_stats. */
void tp_trace_stats_begin(const tp_node *node, void *stats);
void tp_trace_stats_end(const tp_node_end *end, void *stats);

/* After a --where pass: forgets groups that no matching call reached
 * (their names were interned when the call started). false when out of
 * memory. */
bool tp_trace_stats_drop_empty(tp_trace_stats *s);

/* Indexes into `t->items` sorted by `key` (descending, then by name);
 * the caller frees the array. NULL only when out of memory. */
typedef enum { TP_BY_TOTAL, TP_BY_SELF, TP_BY_CALLS } tp_sort_key;
size_t *tp_group_sorted(const tp_group_table *t, tp_sort_key key);

/* A group by name, or NULL. */
const tp_group *tp_group_find(const tp_group_table *t, const char *name);

#endif
