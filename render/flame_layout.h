/* The first pass of tph flame: the time span of the trace and, per thread
 * (in order of its first call), how deep its calls go, which gives every
 * thread its band of rows in the picture. */
#ifndef TPH_FLAME_LAYOUT_H
#define TPH_FLAME_LAYOUT_H

#include "call_stack.h"
#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

#define TP_FLAME_MAX_ROWS 1000   /* deeper calls are not drawn */

typedef struct tp_flame_thread {
    tp_thread_ref thread;
    unsigned rows;      /* deepest call + 1, at most TP_FLAME_MAX_ROWS */
    double y;           /* top of the thread's label line, set by tp_flame_place */
} tp_flame_thread;

typedef struct tp_flame_layout {
    tp_flame_thread *threads;
    size_t n_threads, cap;
    double t0_ms, t1_ms;    /* first start, last end, since the epoch */
    bool has_time, failed;
    uint64_t calls;
    size_t current;         /* the thread of the root being read */
    tp_call_stack stack;
} tp_flame_layout;

void tp_flame_layout_init(tp_flame_layout *l);
void tp_flame_layout_free(tp_flame_layout *l);
/* Reader callbacks; ctx is the layout. */
void tp_flame_layout_begin(const tp_node *node, void *ctx);
void tp_flame_layout_end(const tp_node_end *end, void *ctx);
/* Gives each thread its y from `top`, rows of `row` pixels, a label line
 * and a gap; returns the y below the last thread. */
double tp_flame_place(tp_flame_layout *l, double top, double row, double gap);
/* The band of this thread, or NULL. */
const tp_flame_thread *tp_flame_thread_of(const tp_flame_layout *l, tp_thread_ref thread);

#endif
