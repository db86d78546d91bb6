#include "record_lines.h"

#include <stdlib.h>
#include <string.h>

#include "record_text.h"

static bool grow_array(void **array, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*array, (size_t)ncap * elem);
    if (!p)
        return false;
    *array = p;
    *cap = ncap;
    return true;
}

uint32_t tp_lines_begin(tp_thread *t, tp_window *w, uint32_t node, uint32_t code,
                        tp_iframe frame)
{
    if (!grow_array((void **)&t->lcalls, &t->cap_lcalls, t->n_lcalls + 1, sizeof *t->lcalls))
        return TP_NONE;
    const tp_code_meta *m = &w->codes.metas[code];
    tp_line_call *lc = &t->lcalls[t->n_lcalls];
    memset(lc, 0, sizeof *lc);
    lc->frame = frame;
    lc->node = node;
    lc->code = code;
    if (m->n_locals) {
        lc->prev = malloc(m->n_locals * sizeof *lc->prev);
        if (!lc->prev)
            return TP_NONE;
        for (uint16_t i = 0; i < m->n_locals; i++)
            lc->prev[i] = TP_NONE;
    }
    return t->n_lcalls++;
}

/* "int" for builtins.int, "Job" for __main__.Job. */
static const char *short_type_name(PyObject *v)
{
    const char *name = Py_TYPE(v)->tp_name;
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

static void add_var(tp_thread *t, tp_window *w, tp_line_step *step, uint16_t var,
                    uint32_t shown, uint32_t value)
{
    if (!grow_array((void **)&t->lvars, &t->cap_lvars, t->n_lvars + 1, sizeof *t->lvars))
        return;
    if (step->n_vars == 0)
        step->first_var = t->n_lvars;
    t->lvars[t->n_lvars++] = (tp_line_var){shown, value, var};
    step->n_vars++;
    w->memory += sizeof(tp_line_var);
}

/* One local after a step: its new value, and what the step shows of it. */
static void diff_local(tp_thread *t, tp_window *w, tp_line_call *lc, tp_line_step *step,
                       uint16_t i, PyObject *v)
{
    const char *name = w->codes.metas[lc->code].local_names[i];
    uint32_t value = tp_text_mark(t);
    tp_repr(v, &w->repr, &t->text);
    tp_text_end(t, w, value);
    const char *now = tp_text_at(t, value);
    const char *before = tp_text_at(t, lc->prev[i]);
    bool changed = !before || !now || strcmp(before, now) != 0;
    if (!changed && w->cfg->variable_mode != TP_VARS_ALL) {
        tp_text_drop(t, value);
        return;
    }
    uint32_t shown = tp_text_mark(t);
    if (before && changed && w->cfg->variable_mode == TP_VARS_CHANGED)
        tp_buf_printf(&t->text, "%s: %s %s -> %s", name, short_type_name(v), before,
                      tp_text_at(t, value));
    else
        tp_buf_printf(&t->text, "%s: %s = %s", name, short_type_name(v), tp_text_at(t, value));
    tp_text_end(t, w, shown);
    lc->prev[i] = value;
    add_var(t, w, step, i, shown, value);
}

/* Ends the open step: the variables it shows are those its line changed
 * (or all of them, in "all" mode). */
static void end_step(tp_thread *t, tp_window *w, tp_line_call *lc)
{
    tp_iframe frame = lc->frame;
    lc->step_open = false;
    if (!frame || lc->n_steps == 0 || w->cfg->variable_mode == TP_VARS_NONE)
        return;
    /* Each value's __repr__ may let a thread run that moves the metadata
     * array (render_args): the count is read again each time. */
    for (uint16_t i = 0; i < w->codes.metas[lc->code].n_locals; i++) {
        PyObject *v = tp_iframe_local(frame, i);
        if (v) {
            Py_INCREF(v);   /* borrowed from the frame: a __repr__ can rebind it */
            diff_local(t, w, lc, &lc->steps[lc->n_steps - 1], i, v);
            Py_DECREF(v);
        } else {
            lc->prev[i] = TP_NONE;
        }
    }
}

/* Before the first line: the parameters are known from the call's
 * arguments, so they are not shown again as new variables. */
static void seed_parameters(tp_thread *t, tp_window *w, tp_line_call *lc)
{
    tp_iframe frame = lc->frame;
    for (uint16_t p = 0; p < w->codes.metas[lc->code].n_params; p++) {
        const tp_code_meta *m = &w->codes.metas[lc->code]; /* as in end_step */
        uint16_t i = m->param_slots[p];
        PyObject *v = i < m->n_locals ? tp_iframe_local(frame, i) : NULL;
        if (!v)
            continue;
        lc->prev[i] = tp_text_mark(t);
        Py_INCREF(v);   /* borrowed from the frame: a __repr__ can rebind it */
        tp_repr(v, &w->repr, &t->text);
        Py_DECREF(v);
        tp_text_end(t, w, lc->prev[i]);
    }
}

/* Ends the open step and starts one of statement `stmt` (0: the whole
 * line) of `lineno`. */
static void new_step(tp_thread *t, tp_window *w, tp_line_call *lc, int lineno, uint16_t stmt,
                     uint64_t now)
{
    if (lc->step_open)
        end_step(t, w, lc);
    else if (lc->n_steps == 0 && lc->dropped == 0 && lc->frame)
        seed_parameters(t, w, lc);
    lc->cur_line = lineno;
    lc->cur_stmt = stmt;
    if (lc->n_steps >= (uint32_t)w->cfg->line_max_steps) {
        lc->dropped++;
        return;
    }
    if (!grow_array((void **)&lc->steps, &lc->cap_steps, lc->n_steps + 1, sizeof *lc->steps))
        return;
    lc->steps[lc->n_steps++] = (tp_line_step){now, lineno, 0, 0, stmt};
    lc->step_open = true;
    w->memory += sizeof(tp_line_step);
}

/* Whether `lineno` is split into statements (compat/stmt_starts.h), and
 * whether it is a compound statement with its body on it. */
static bool line_is_split(const tp_code_meta *m, int lineno, bool *compound)
{
    bool split = false;
    *compound = false;
    for (uint32_t i = 0; i < m->n_stmts; i++) {
        if (m->stmts[i].line == lineno) {
            split = true;
            *compound = *compound || m->stmts[i].header;
        }
    }
    return split;
}

bool tp_lines_step(tp_thread *t, tp_window *w, uint32_t lcall, PyCodeObject *code, int lineno,
                   bool again, uint64_t now)
{
    tp_line_call *lc = &t->lcalls[lcall];
    const tp_code_meta *m = &w->codes.metas[lc->code];
    bool own = m->code == (PyObject *)code, compound = false;
    bool split = own && line_is_split(m, lineno, &compound);
    uint16_t stmt = split ? 1 : 0;
    /* A loop on one line, or a comprehension's frame (before 3.12): still
     * the statement that was running. */
    if ((again || !own) && lc->n_steps + lc->dropped > 0 && lc->cur_line == lineno)
        stmt = lc->cur_stmt;
    new_step(t, w, lc, lineno, stmt, now);
    /* On a compound line the event may land on any of its statements: a
     * loop jumps back to its header, or (`while`, 3.10+) into its body.
     * The statement event of the instruction it landed on, which comes
     * next, says which (enter_statement). */
    lc->step_fresh = compound;
    return split;
}

/* The statement starting, or entered, at `offset`, or NULL. (The -1 of a
 * line's first statement is never asked for: its line's event starts it.) */
static const tp_stmt *stmt_at(const tp_code_meta *m, int offset)
{
    for (uint32_t i = 0; i < m->n_stmts; i++)
        if (m->stmts[i].offset == offset && offset >= 0)
            return &m->stmts[i];
    return NULL;
}

/* Control enters statement `s`. On a compound line entries are listed
 * wherever control can come from elsewhere, so it may already be the
 * running statement (the line's event began its step at this very
 * instruction, or a backward jump inside it, a comprehension's, did); and
 * a step that the line's event or a loop's jump just began is this
 * statement's: it is relabelled, not followed by a new one. */
static void enter_statement(tp_thread *t, tp_window *w, tp_line_call *lc, const tp_stmt *s,
                            uint64_t now)
{
    bool on_line = lc->n_steps + lc->dropped > 0 && lc->cur_line == s->line;
    if (on_line && lc->cur_stmt == s->index && (lc->step_open || lc->dropped > 0))
        return;
    if (on_line && lc->step_fresh) {
        lc->cur_stmt = s->index;
        if (lc->step_open)
            lc->steps[lc->n_steps - 1].stmt = s->index;
        return;
    }
    new_step(t, w, lc, s->line, s->index, now);
}

bool tp_lines_statement(tp_thread *t, tp_window *w, uint32_t lcall, PyCodeObject *code,
                        int offset, uint64_t now)
{
    uint32_t ci = tp_code_lookup_key(&w->codes, code);
    const tp_stmt *s = ci != TP_CODE_NONE ? stmt_at(&w->codes.metas[ci], offset) : NULL;
    tp_line_call *lc = lcall != TP_NONE && t->lcalls[lcall].code == ci ? &t->lcalls[lcall] : NULL;
    if (!lc)
        return s != NULL;
    if (s)
        enter_statement(t, w, lc, s, now);
    /* Any later instruction is not where the line's event landed (before
     * 3.12 every instruction of a split line reports; on 3.12+ a compound
     * line's landing places all do). */
    lc->step_fresh = false;
    return s != NULL;
}

void tp_lines_pause(tp_thread *t, tp_window *w, uint32_t lcall)
{
    tp_line_call *lc = &t->lcalls[lcall];
    if (lc->step_open)
        end_step(t, w, lc);
}

void tp_lines_free(tp_thread *t)
{
    for (uint32_t i = 0; i < t->n_lcalls; i++) {
        free(t->lcalls[i].steps);
        free(t->lcalls[i].prev);
    }
    free(t->lcalls);
    free(t->lvars);
}
