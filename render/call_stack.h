/* The open calls while a trace streams, for the exporters: each call's
 * thread (children inherit their root's), start and elapsed time, and how
 * much of it its children took, so a call's self time is known when it
 * ends. Memory grows with nesting depth, not with the number of calls. */
#ifndef TPH_CALL_STACK_H
#define TPH_CALL_STACK_H

#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct tp_call_frame {
    uint64_t index;
    tp_thread_ref thread; /* the root's, for every call under it */
    double start_ms;      /* since the epoch; the parent's start when absent */
    double elapsed_ms;    /* 0 when the call has no times */
    double children_ms;   /* sum of the children's elapsed */
    int64_t elapsed_us, children_us;   /* the same, rounded per call */
    size_t mark;          /* caller's bookkeeping (e.g. a text length) */
} tp_call_frame;

typedef struct tp_call_stack {
    tp_call_frame *frames;
    size_t depth, cap;
    bool failed;          /* out of memory: later pushes are dropped */
} tp_call_stack;

#define TP_CALL_STACK_INIT {NULL, 0, 0, false}

/* Pushes the call `node` describes; returns its frame, NULL when out of
 * memory. Its depth must be the stack's depth. */
tp_call_frame *tp_call_push(tp_call_stack *s, const tp_node *node);
/* The innermost open call, or NULL. */
tp_call_frame *tp_call_top(tp_call_stack *s);
/* Pops the innermost call into `out`, adding its time to its parent's
 * children. False when the stack is empty. */
bool tp_call_pop(tp_call_stack *s, tp_call_frame *out);
void tp_call_stack_free(tp_call_stack *s);

/* Self time, never below zero. */
double tp_call_self_ms(const tp_call_frame *f);
int64_t tp_call_self_us(const tp_call_frame *f);

#endif
