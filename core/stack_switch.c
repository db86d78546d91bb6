#include "stack_switch.h"

#include <Python.h>
#include <stdlib.h>

/* Parked stacks are few (the greenlets waiting with calls of a window
 * still open on them) and looked up once a switch, so a linear search. */
static tp_parked_stack *find(tp_thread *t, const void *key)
{
    for (uint32_t i = 0; i < t->n_parked; i++)
        if (t->parked[i].key == key)
            return &t->parked[i];
    return NULL;
}

static bool park(tp_thread *t, tp_window *w, const void *key)
{
    /* An empty stack (a greenlet that finished, or has not called
     * anything recorded) is what a new one starts with: nothing to keep. */
    if (t->depth == 0 && t->top_node == TP_NONE && t->recorded_depth == 0) {
        free(t->stack);
        return true;
    }
    if (t->n_parked == t->cap_parked) {
        uint32_t cap = t->cap_parked ? t->cap_parked * 2 : 8;
        tp_parked_stack *p = realloc(t->parked, (size_t)cap * sizeof *p);
        if (!p)
            return false;
        w->memory += (size_t)(cap - t->cap_parked) * sizeof *p;
        t->parked = p;
        t->cap_parked = cap;
    }
    t->parked[t->n_parked++] = (tp_parked_stack){key, t->stack, t->depth, t->cap_stack,
                                                 t->top_node, t->recorded_depth};
    return true;
}

static void unpark(tp_thread *t, tp_parked_stack *p)
{
    t->stack = p->stack;
    t->depth = p->depth;
    t->cap_stack = p->cap_stack;
    t->top_node = p->top_node;
    t->recorded_depth = p->recorded_depth;
    *p = t->parked[--t->n_parked];
}

void tp_stack_switch(tp_thread *t, tp_window *w, const void *from, const void *to)
{
    if (from == to || find(t, from) || !park(t, w, from))
        return;
    tp_parked_stack *p = find(t, to);
    if (p) {
        unpark(t, p);
    } else {
        t->stack = NULL;
        t->depth = t->cap_stack = 0;
        t->top_node = TP_NONE;
        t->recorded_depth = 0;
    }
}

void tp_stack_switch_release(tp_thread *t)
{
    for (uint32_t i = 0; i < t->n_parked; i++)
        for (uint32_t j = 0; j < t->parked[i].depth; j++)
            Py_CLEAR(t->parked[i].stack[j].seen_exc);
}

void tp_stack_switch_free(tp_thread *t)
{
    for (uint32_t i = 0; i < t->n_parked; i++)
        free(t->parked[i].stack);
    free(t->parked);
}
