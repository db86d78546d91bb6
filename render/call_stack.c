#include "call_stack.h"

#include <math.h>
#include <stdlib.h>

static bool grow(tp_call_stack *s)
{
    if (s->depth < s->cap)
        return true;
    size_t cap = s->cap ? s->cap * 2 : 64;
    tp_call_frame *frames = realloc(s->frames, cap * sizeof *frames);
    if (!frames) {
        s->failed = true;
        return false;
    }
    s->frames = frames;
    s->cap = cap;
    return true;
}

static double node_elapsed_ms(const tp_node *node)
{
    if (node->has_elapsed)
        return node->elapsed_ms;
    if (node->has_start && node->has_end && node->end >= node->start)
        return (node->end - node->start) * 1000.0;
    return 0;
}

tp_call_frame *tp_call_push(tp_call_stack *s, const tp_node *node)
{
    if (s->failed || !grow(s))
        return NULL;
    const tp_call_frame *parent = s->depth ? &s->frames[s->depth - 1] : NULL;
    tp_call_frame *f = &s->frames[s->depth++];
    f->index = node->index;
    f->thread = tp_node_thread(node);   /* the reader gives children their root's */
    f->start_ms = node->has_start ? node->start * 1000.0 : parent ? parent->start_ms : 0;
    f->elapsed_ms = node_elapsed_ms(node);
    f->elapsed_us = llround(f->elapsed_ms * 1000.0);
    f->children_ms = 0;
    f->children_us = 0;
    f->mark = 0;
    return f;
}

tp_call_frame *tp_call_top(tp_call_stack *s)
{
    return s->depth ? &s->frames[s->depth - 1] : NULL;
}

bool tp_call_pop(tp_call_stack *s, tp_call_frame *out)
{
    if (!s->depth)
        return false;
    *out = s->frames[--s->depth];
    if (s->depth) {
        s->frames[s->depth - 1].children_ms += out->elapsed_ms;
        s->frames[s->depth - 1].children_us += out->elapsed_us;
    }
    return true;
}

void tp_call_stack_free(tp_call_stack *s)
{
    free(s->frames);
    *s = (tp_call_stack)TP_CALL_STACK_INIT;
}

double tp_call_self_ms(const tp_call_frame *f)
{
    double self = f->elapsed_ms - f->children_ms;
    return self > 0 ? self : 0;
}

int64_t tp_call_self_us(const tp_call_frame *f)
{
    int64_t self = f->elapsed_us - f->children_us;
    return self > 0 ? self : 0;
}
