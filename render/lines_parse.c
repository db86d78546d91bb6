/* Builds a tp_lines from the reader's tokens for one `lines` value. The
 * container each open level stands for is kept in `ctx`; a key sets what
 * its value is (`pending`); a value of an unknown key is skipped whole. A
 * record the view does not need, or that is over the bounds, is read for
 * its types only (`discard_from`), so both views reject the same files. */
#include "field.h"
#include "grow.h"
#include "json_number.h"
#include "lines_data.h"
#include "out_of_memory.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ctx { X_ROOT, X_STEPS, X_STEP, X_STEP_VARS, X_SUMMARY, X_ROW, X_ROW_VARS, X_VAR,
           X_FIRST, X_LAST };

enum slot {
    S_IGNORE, S_MODE, S_STEPS, S_DROPPED, S_SUMMARY,
    S_STEP, S_STEP_LINE, S_STEP_DT, S_STEP_SOURCE, S_STEP_VARS, S_STEP_VAR,
    S_STEP_STATEMENT, S_STEP_STATEMENT_INDEX,
    S_ROW, S_ROW_LINE, S_ROW_SOURCE, S_ROW_HITS, S_ROW_VARS, S_VAR,
    S_COUNT, S_FIRST, S_LAST, S_SAMPLE,
};

enum want { W_ANY, W_STRING, W_INT, W_NUMBER, W_ARRAY, W_MAP };

static const char *const want_names[] = {
    "a value", "a string", "an integer", "a number", "an array", "an object",
};

static const struct slot_info {
    const char *what;
    enum want want;
} slots[] = {
    [S_IGNORE] = {"", W_ANY},
    [S_MODE] = {"\"mode\"", W_STRING},
    [S_STEPS] = {"\"steps\"", W_ARRAY},
    [S_DROPPED] = {"\"steps_dropped\"", W_INT},
    [S_SUMMARY] = {"\"summary\"", W_ARRAY},
    [S_STEP] = {"\"steps\" item", W_MAP},
    [S_STEP_LINE] = {"step \"line\"", W_INT},
    [S_STEP_DT] = {"step \"dt_ms\"", W_NUMBER},
    [S_STEP_SOURCE] = {"step \"source\"", W_STRING},
    [S_STEP_VARS] = {"step \"vars\"", W_ARRAY},
    [S_STEP_VAR] = {"step \"vars\" item", W_STRING},
    [S_STEP_STATEMENT] = {"step \"statement\"", W_STRING},
    [S_STEP_STATEMENT_INDEX] = {"step \"statement_index\"", W_INT},
    [S_ROW] = {"\"summary\" item", W_MAP},
    [S_ROW_LINE] = {"summary \"line\"", W_INT},
    [S_ROW_SOURCE] = {"summary \"source\"", W_STRING},
    [S_ROW_HITS] = {"summary \"hits\"", W_INT},
    [S_ROW_VARS] = {"summary \"vars\"", W_MAP},
    [S_VAR] = {"summary variable", W_MAP},
    [S_COUNT] = {"summary variable \"count\"", W_INT},
    [S_FIRST] = {"summary variable \"first\"", W_ARRAY},
    [S_LAST] = {"summary variable \"last\"", W_ARRAY},
    [S_SAMPLE] = {"summary sample", W_STRING},
};

void tp_lines_init(tp_lines *l, bool keep_steps, bool keep_summary)
{
    memset(l, 0, sizeof *l);
    l->keep_steps = keep_steps;
    l->keep_summary = keep_summary;
    l->mode = TP_LINES_NONE;
    l->skip_from = l->discard_from = UINT_MAX;
}

void tp_lines_free(tp_lines *l)
{
    free(l->steps);
    free(l->rows);
    free(l->vars);
    free(l->strs);
    tp_buf_free(&l->text);
    tp_buf_free(&l->scratch);
}

const char *tp_lines_str(const tp_lines *l, uint32_t offset)
{
    return offset == TP_LINES_NONE || offset >= l->text.len ? "" : l->text.data + offset;
}

static void start(tp_lines *l, uint64_t node_index)
{
    l->node_index = node_index;
    l->started = true;
    l->complete = l->present = false;
    l->mode = TP_LINES_NONE;
    l->steps_dropped = 0;
    l->steps_seen = l->rows_seen = l->steps_unkept = l->rows_unkept = 0;
    l->n_steps = l->n_rows = l->n_vars = l->n_strs = 0;
    tp_buf_reset(&l->text);
    l->pending = S_IGNORE;
    l->pending_name = TP_LINES_NONE;
    l->skip_from = l->discard_from = UINT_MAX;
}

__attribute__((format(printf, 2, 3)))
static const char *problem(tp_lines *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->problem, sizeof l->problem, fmt, ap);
    va_end(ap);
    return l->problem;
}

/* Whether one more record fits in the per-call bound. */
static bool room(const tp_lines *l)
{
    size_t used = l->text.len + l->n_strs * sizeof *l->strs + l->n_steps * sizeof *l->steps
                + l->n_rows * sizeof *l->rows + l->n_vars * sizeof *l->vars;
    return used < TP_LINES_MAX_BYTES;
}

/* Out of memory ends tph (out_of_memory.h): what is not kept for want of
 * `room` is the only cut a reader sees. */
#define GROW(l, name) \
    (tp_grow((void **)&(l)->name, (l)->n_##name, &(l)->name##_cap, sizeof *(l)->name, 64) || \
     (tp_oom_exit(NULL), false))

/* Keeps a string; TP_LINES_NONE when over the bound. */
static uint32_t store(tp_lines *l, const char *s, size_t len)
{
    if (!room(l))
        return TP_LINES_NONE;
    tp_field_set(&l->scratch, (const unsigned char *)s, len, TP_LINES_TEXT_LIMIT);
    uint32_t at = (uint32_t)l->text.len;
    tp_buf_append(&l->text, l->scratch.data, l->scratch.len);
    tp_buf_putc(&l->text, '\0');
    return l->text.failed ? TP_LINES_NONE : at;
}

/* Adds a string to the current `strs` range; false when it was not kept. */
static bool push_str(tp_lines *l, const tp_value_token *t)
{
    uint32_t at = store(l, t->text, t->len);
    if (at == TP_LINES_NONE || !GROW(l, strs))
        return false;
    l->strs[l->n_strs++] = at;
    return true;
}

static const char *got_name(const tp_value_token *t)
{
    return t->event == TP_VALUE_OPEN_MAP ? "an object"
         : t->event == TP_VALUE_OPEN_ARRAY ? "an array" : tp_json_type_name(t->type);
}

static bool type_ok(enum want want, const tp_value_token *t)
{
    bool scalar = t->event == TP_VALUE_SCALAR;
    switch (want) {
    case W_STRING: return scalar && t->type == TP_JSON_STRING;
    case W_INT: return scalar && t->type == TP_JSON_INTEGER;
    case W_NUMBER: return scalar && (t->type == TP_JSON_INTEGER || t->type == TP_JSON_NUMBER);
    case W_ARRAY: return t->event == TP_VALUE_OPEN_ARRAY;
    case W_MAP: return t->event == TP_VALUE_OPEN_MAP;
    default: return true;
    }
}

static int key_slot(enum ctx c, const char *k, size_t n)
{
#define IS(name) (n == sizeof(name) - 1 && memcmp(k, name, n) == 0)
    switch (c) {
    case X_ROOT:
        return IS("mode") ? S_MODE : IS("steps") ? S_STEPS : IS("steps_dropped") ? S_DROPPED
             : IS("summary") ? S_SUMMARY : S_IGNORE;
    case X_STEP:
        return IS("line") ? S_STEP_LINE : IS("dt_ms") ? S_STEP_DT : IS("source") ? S_STEP_SOURCE
             : IS("vars") ? S_STEP_VARS : IS("statement") ? S_STEP_STATEMENT
             : IS("statement_index") ? S_STEP_STATEMENT_INDEX : S_IGNORE;
    case X_ROW:
        return IS("line") ? S_ROW_LINE : IS("hits") ? S_ROW_HITS : IS("source") ? S_ROW_SOURCE
             : IS("vars") ? S_ROW_VARS : S_IGNORE;
    case X_ROW_VARS: return S_VAR;
    case X_VAR:
        return IS("count") ? S_COUNT : IS("first") ? S_FIRST : IS("last") ? S_LAST : S_IGNORE;
    default: return S_IGNORE;
    }
#undef IS
}

/* The container a slot opens, or -1 for one to skip. */
static int slot_ctx(int slot)
{
    switch (slot) {
    case S_STEPS: return X_STEPS;
    case S_SUMMARY: return X_SUMMARY;
    case S_STEP: return X_STEP;
    case S_STEP_VARS: return X_STEP_VARS;
    case S_ROW: return X_ROW;
    case S_ROW_VARS: return X_ROW_VARS;
    case S_VAR: return X_VAR;
    case S_FIRST: return X_FIRST;
    case S_LAST: return X_LAST;
    default: return -1;
    }
}

/* Reads the record opening at `level` for its types only. */
static const char *discard(tp_lines *l, enum ctx c, unsigned level)
{
    l->discard_from = level;
    l->ctx[level] = (unsigned char)c;
    return NULL;
}

static int item_slot(enum ctx c)
{
    switch (c) {
    case X_STEPS: return S_STEP;
    case X_SUMMARY: return S_ROW;
    case X_STEP_VARS: return S_STEP_VAR;
    case X_FIRST:
    case X_LAST: return S_SAMPLE;
    default: return -1;   /* a map: the value of the last key */
    }
}

static const char *take_int(tp_lines *l, int slot, const tp_value_token *t, int64_t *out)
{
    if (!tp_json_int(t->text, t->len, out))
        return problem(l, "%s: integer out of range", slots[slot].what);
    return NULL;
}

static const char *open_step(tp_lines *l, unsigned level)
{
    l->steps_seen++;
    if (!l->keep_steps)
        return discard(l, X_STEP, level);
    if (l->n_steps >= TP_LINES_MAX_ITEMS || !room(l)) {
        l->steps_unkept++;
        return discard(l, X_STEP, level);
    }
    if (!GROW(l, steps))
        return "out of memory";
    tp_lines_step *s = &l->steps[l->n_steps++];
    memset(s, 0, sizeof *s);
    s->source = s->statement = TP_LINES_NONE;
    l->ctx[level] = X_STEP;
    return NULL;
}

static const char *open_row(tp_lines *l, unsigned level)
{
    l->rows_seen++;
    if (!l->keep_summary)
        return discard(l, X_ROW, level);
    if (l->n_rows >= TP_LINES_MAX_ITEMS || !room(l)) {
        l->rows_unkept++;
        return discard(l, X_ROW, level);
    }
    if (!GROW(l, rows))
        return "out of memory";
    tp_lines_row *r = &l->rows[l->n_rows++];
    memset(r, 0, sizeof *r);
    r->source = TP_LINES_NONE;
    l->ctx[level] = X_ROW;
    return NULL;
}

static const char *open_var(tp_lines *l, unsigned level)
{
    tp_lines_row *r = &l->rows[l->n_rows - 1];
    if (l->pending_name == TP_LINES_NONE || !room(l) || !GROW(l, vars)) {
        r->cut = true;
        return discard(l, X_VAR, level);
    }
    tp_lines_var *v = &l->vars[l->n_vars++];
    memset(v, 0, sizeof *v);
    v->name = l->pending_name;
    r->n_vars++;
    l->ctx[level] = X_VAR;
    return NULL;
}

/* A container the structure names: records where its items go. */
static const char *open_known(tp_lines *l, int slot, unsigned level)
{
    uint32_t at = (uint32_t)l->n_strs;
    switch (slot) {
    case S_STEPS: l->ctx[level] = X_STEPS; return NULL;
    case S_SUMMARY: l->ctx[level] = X_SUMMARY; return NULL;
    case S_STEP: return open_step(l, level);
    case S_ROW: return open_row(l, level);
    case S_VAR: return open_var(l, level);
    case S_STEP_VARS:
        l->steps[l->n_steps - 1].vars = at;
        l->steps[l->n_steps - 1].n_vars = 0;
        l->ctx[level] = X_STEP_VARS;
        return NULL;
    case S_ROW_VARS:
        l->rows[l->n_rows - 1].vars = (uint32_t)l->n_vars;
        l->rows[l->n_rows - 1].n_vars = 0;
        l->ctx[level] = X_ROW_VARS;
        return NULL;
    case S_FIRST:
    case S_LAST: {
        tp_lines_var *v = &l->vars[l->n_vars - 1];
        *(slot == S_FIRST ? &v->first : &v->last) = at;
        *(slot == S_FIRST ? &v->n_first : &v->n_last) = 0;
        l->ctx[level] = slot == S_FIRST ? X_FIRST : X_LAST;
        return NULL;
    }
    default:
        l->skip_from = level;
        return NULL;
    }
}

/* A scalar the structure names. */
static const char *take_scalar(tp_lines *l, int slot, enum ctx parent, const tp_value_token *t)
{
    tp_lines_step *s = l->n_steps ? &l->steps[l->n_steps - 1] : NULL;
    tp_lines_row *r = l->n_rows ? &l->rows[l->n_rows - 1] : NULL;
    tp_lines_var *v = l->n_vars ? &l->vars[l->n_vars - 1] : NULL;
    switch (slot) {
    case S_MODE: l->mode = store(l, t->text, t->len); return NULL;
    case S_DROPPED: return take_int(l, slot, t, &l->steps_dropped);
    case S_STEP_LINE: s->has_line = true; return take_int(l, slot, t, &s->line);
    case S_STEP_DT:
        s->has_dt = tp_json_double(t->text, t->len, &s->dt_ms);
        return NULL;
    case S_STEP_SOURCE: s->source = store(l, t->text, t->len); return NULL;
    case S_STEP_STATEMENT: s->statement = store(l, t->text, t->len); return NULL;
    case S_STEP_STATEMENT_INDEX:
        s->has_statement_index = true;
        return take_int(l, slot, t, &s->statement_index);
    case S_ROW_LINE: r->has_line = true; return take_int(l, slot, t, &r->line);
    case S_ROW_HITS: r->has_hits = true; return take_int(l, slot, t, &r->hits);
    case S_ROW_SOURCE: r->source = store(l, t->text, t->len); return NULL;
    case S_COUNT: v->has_count = true; return take_int(l, slot, t, &v->count);
    case S_STEP_VAR:
        if (push_str(l, t))
            s->n_vars++;
        else
            s->cut = true;
        return NULL;
    case S_SAMPLE:
        if (!push_str(l, t))
            r->cut = true;
        else if (parent == X_FIRST)
            v->n_first++;
        else
            v->n_last++;
        return NULL;
    default:
        return NULL;
    }
}

static const char *take_value(tp_lines *l, const tp_value_token *t)
{
    enum ctx parent = (enum ctx)l->ctx[t->level - 1];
    int slot = item_slot(parent);
    if (slot < 0)
        slot = l->pending;
    l->pending = S_IGNORE;
    if (t->event == TP_VALUE_SCALAR && t->type == TP_JSON_NULL)
        return NULL;
    if (!type_ok(slots[slot].want, t))
        return problem(l, "%s: expected %s, got %s", slots[slot].what,
                       want_names[slots[slot].want], got_name(t));
    int64_t i;
    if (slots[slot].want == W_INT && !tp_json_int(t->text, t->len, &i))
        return problem(l, "%s: integer out of range", slots[slot].what);
    if (t->event == TP_VALUE_SCALAR)
        return l->discard_from == UINT_MAX ? take_scalar(l, slot, parent, t) : NULL;
    if (t->level >= TP_LINES_MAX_LEVEL || slot_ctx(slot) < 0) {
        l->skip_from = t->level;
        return NULL;
    }
    if (l->discard_from != UINT_MAX) {
        l->ctx[t->level] = (unsigned char)slot_ctx(slot);
        return NULL;
    }
    return open_known(l, slot, t->level);
}

/* The value itself: an object, or null for none. */
static const char *take_root(tp_lines *l, const tp_value_token *t)
{
    switch (t->event) {
    case TP_VALUE_OPEN_MAP:
        l->present = true;
        l->ctx[0] = X_ROOT;
        return NULL;
    case TP_VALUE_CLOSE:
        l->complete = true;
        return NULL;
    case TP_VALUE_SCALAR:
        if (t->type == TP_JSON_NULL) {
            l->complete = true;
            return NULL;
        }
        return problem(l, "expected an object, got %s", tp_json_type_name(t->type));
    default:
        return "expected an object, got an array";
    }
}

const char *tp_lines_feed(tp_lines *l, const tp_value_token *t)
{
    if (t->level == 0 && t->event != TP_VALUE_CLOSE)
        start(l, t->node_index);
    if (l->skip_from != UINT_MAX) {
        if (t->event == TP_VALUE_CLOSE && t->level == l->skip_from)
            l->skip_from = UINT_MAX;
        return NULL;
    }
    if (t->level == 0)
        return take_root(l, t);
    if (t->event == TP_VALUE_CLOSE) {
        if (t->level == l->discard_from)
            l->discard_from = UINT_MAX;
        return NULL;
    }
    if (t->event == TP_VALUE_KEY) {
        enum ctx c = (enum ctx)l->ctx[t->level - 1];
        l->pending = key_slot(c, t->text, t->len);
        if (c == X_ROW_VARS && l->discard_from == UINT_MAX)
            l->pending_name = store(l, t->text, t->len);
        return NULL;
    }
    return take_value(l, t);
}
