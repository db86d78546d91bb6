/* Evaluating a parsed expression against one call. */
#include "expr_internal.h"

#include <string.h>

/* SQL LIKE with only `%`: EXPR_WILD in `pattern` matches any run of bytes.
 * Greedy with backtracking to the last wildcard: linear in practice,
 * never worse than |pattern| * |text|. */
static bool like_match(const char *pattern, const char *text)
{
    const char *star = NULL, *resume = NULL;
    while (*text) {
        if (*pattern == EXPR_WILD) {
            star = ++pattern;
            resume = text;
        } else if (*pattern == *text) {
            pattern++;
            text++;
        } else if (star) {
            pattern = star;
            text = ++resume;
        } else {
            return false;
        }
    }
    while (*pattern == EXPR_WILD)
        pattern++;
    return *pattern == '\0';
}

static const char *text_field(const expr_atom *a, const tp_expr_call *c)
{
    switch (a->field) {
    case F_MODULE: return c->module;
    case F_FUNC: return c->name;
    case F_QUALNAME: return c->qualname ? c->qualname : c->name;
    case F_FILE: return c->file;
    case F_ARG: return c->args;
    case F_RETURN: return c->return_value;
    default: return c->exception;
    }
}

static bool number_field(const expr_atom *a, const tp_expr_call *c, double *out)
{
    switch (a->field) {
    case F_ELAPSED: *out = c->elapsed_ms; return c->has_elapsed;
    case F_SELF: *out = c->self_ms; return c->has_self;
    case F_DEPTH: *out = c->depth; return true;
    default: *out = (double)c->thread; return c->has_thread;
    }
}

static bool ordered(expr_op op, int cmp)
{
    switch (op) {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    default: return cmp >= 0;
    }
}

static bool compare_text(const expr_atom *a, const char *value)
{
    switch (a->op) {
    case OP_CONTAINS: return strstr(value, a->text) != NULL;
    case OP_MATCHES: return regexec(&a->regex, value, 0, NULL, 0) == 0;
    case OP_EQ: return a->like ? like_match(a->text, value) : strcmp(value, a->text) == 0;
    case OP_NE: return a->like ? !like_match(a->text, value) : strcmp(value, a->text) != 0;
    default: return ordered(a->op, strcmp(value, a->text));
    }
}

/* A missing field equals only null and differs from every value. */
static bool atom_true(const expr_atom *a, const tp_expr_call *c)
{
    double number = 0;
    const char *text = NULL;
    bool present = a->field < F_TEXT_FIELDS ? (text = text_field(a, c)) != NULL
                                            : number_field(a, c, &number);
    if (a->op == OP_PRESENT)
        return present;
    if (a->is_null || !present)
        return a->op == OP_EQ ? a->is_null && !present : a->op == OP_NE && (!a->is_null || present);
    if (text)
        return compare_text(a, text);
    return ordered(a->op, number < a->number ? -1 : number > a->number);
}

uint64_t tp_expr_early(const tp_expr *e, const tp_expr_call *call)
{
    uint64_t bits = 0;
    for (size_t i = 0; i < e->n_atoms; i++)
        if (!expr_field_is_late(e->atoms[i].field) && atom_true(&e->atoms[i], call))
            bits |= UINT64_C(1) << i;
    return bits;
}

static bool eval_node(const tp_expr *e, size_t n, uint64_t early, const tp_expr_call *c)
{
    const expr_node *node = &e->nodes[n];
    switch (node->kind) {
    case N_AND: return eval_node(e, node->a, early, c) && eval_node(e, node->b, early, c);
    case N_OR: return eval_node(e, node->a, early, c) || eval_node(e, node->b, early, c);
    case N_NOT: return !eval_node(e, node->a, early, c);
    default: break;
    }
    const expr_atom *a = &e->atoms[node->a];
    if (expr_field_is_late(a->field))
        return atom_true(a, c);
    return (early >> node->a) & 1;
}

bool tp_expr_finish(const tp_expr *e, uint64_t early, const tp_expr_call *call)
{
    return eval_node(e, e->root, early, call);
}

bool tp_expr_match(const tp_expr *e, const tp_expr_call *call)
{
    return tp_expr_finish(e, tp_expr_early(e, call), call);
}

void tp_expr_call_from_node(tp_expr_call *call, const tp_node *node)
{
    memset(call, 0, sizeof *call);
    call->name = node->name;
    call->qualname = node->qualname;
    call->module = node->module;
    call->file = node->file;
    call->args = node->args;
    call->return_value = node->return_value;
    call->exception = node->exception;
    call->depth = node->depth;
    call->thread = node->thread;
    call->has_thread = node->has_thread;
    call->elapsed_ms = node->elapsed_ms;
    call->has_elapsed = node->has_elapsed;
}

void tp_expr_describe_error(tp_buf *out, const char *text, const tp_expr_error *error)
{
    tp_buf_putc(out, '"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            tp_buf_printf(out, "\\x%02x", *c);
        else
            tp_buf_putc(out, (char)*c);
    }
    tp_buf_printf(out, "\": %s at position %zu", error->message, error->position);
}
