#include "flame_layout.h"

#include <stdlib.h>

void tp_flame_layout_init(tp_flame_layout *l)
{
    *l = (tp_flame_layout){.stack = TP_CALL_STACK_INIT};
}

void tp_flame_layout_free(tp_flame_layout *l)
{
    free(l->threads);
    tp_call_stack_free(&l->stack);
}

static tp_flame_thread *add_thread(tp_flame_layout *l, tp_thread_ref thread)
{
    for (size_t i = 0; i < l->n_threads; i++)
        if (tp_thread_ref_equal(l->threads[i].thread, thread))
            return &l->threads[i];
    if (l->n_threads == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        tp_flame_thread *t = realloc(l->threads, cap * sizeof *t);
        if (!t)
            return NULL;
        l->threads = t;
        l->cap = cap;
    }
    l->threads[l->n_threads] = (tp_flame_thread){thread, 0, 0};
    return &l->threads[l->n_threads++];
}

void tp_flame_layout_begin(const tp_node *node, void *ctx)
{
    tp_flame_layout *l = ctx;
    if (l->failed)
        return;
    const tp_call_frame *f = tp_call_push(&l->stack, node);
    tp_flame_thread *t = !f ? NULL : node->depth == 0 ? add_thread(l, f->thread)
                                   : &l->threads[l->current];
    if (!t) {
        l->failed = true;
        return;
    }
    l->current = (size_t)(t - l->threads);
    l->calls++;
    if (node->depth < TP_FLAME_MAX_ROWS && node->depth + 1 > t->rows)
        t->rows = node->depth + 1;
    if (node->depth != 0)
        return;
    if (!l->has_time || f->start_ms < l->t0_ms)
        l->t0_ms = f->start_ms;
    if (!l->has_time || f->start_ms + f->elapsed_ms > l->t1_ms)
        l->t1_ms = f->start_ms + f->elapsed_ms;
    l->has_time = true;
}

void tp_flame_layout_end(const tp_node_end *end, void *ctx)
{
    tp_flame_layout *l = ctx;
    tp_call_frame f;
    (void)end;
    tp_call_pop(&l->stack, &f);
}

double tp_flame_place(tp_flame_layout *l, double top, double row, double gap)
{
    double y = top;
    for (size_t i = 0; i < l->n_threads; i++) {
        l->threads[i].y = y;
        y += row * (1 + l->threads[i].rows) + gap;
    }
    return y;
}

const tp_flame_thread *tp_flame_thread_of(const tp_flame_layout *l, tp_thread_ref thread)
{
    for (size_t i = 0; i < l->n_threads; i++)
        if (tp_thread_ref_equal(l->threads[i].thread, thread))
            return &l->threads[i];
    return NULL;
}
