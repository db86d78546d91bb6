#include "tui_view.h"
#include "tui_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_view_init(tui_view *v, tui_model *m)
{
    memset(v, 0, sizeof *v);
    v->model = m;
    v->selected = TUI_NONE;
    v->dirty = true;
}

void tui_view_free(tui_view *v)
{
    free(v->rows);
    free(v->pending);
    tp_expr_free(v->filter);
    free(v->filter_text);
    tp_buf_free(&v->line);
    if (v->has_search)
        regfree(&v->search);
    memset(v, 0, sizeof *v);
}

static tui_node *node(const tui_view *v, uint32_t i)
{
    return tui_model_node(v->model, i);
}

static bool has_children(const tui_view *v, uint32_t i)
{
    return tui_model_subtree_end(v->model, i) > i + 1;
}

bool tui_view_visible(const tui_view *v, const tui_node *n)
{
    return !v->filter || (n->flags & TUI_SUBTREE_MATCH);
}

/* ---- the filter ---- */

static void mark_match(tui_view *v, uint32_t i)
{
    tui_node *n = node(v, i);
    n->flags |= TUI_MATCH | TUI_SUBTREE_MATCH;
    for (uint32_t p = n->parent; p != TUI_NONE; p = node(v, p)->parent) {
        tui_node *up = node(v, p);
        if (up->flags & TUI_SUBTREE_MATCH)
            break;
        up->flags |= TUI_SUBTREE_MATCH | TUI_EXPANDED;
    }
}

static void evaluate(tui_view *v, uint32_t i)
{
    tp_expr_call call;
    tui_line_expr_call(&call, v->model, node(v, i));
    if (tp_expr_match(v->filter, &call))
        mark_match(v, i);
}

static bool add_pending(tui_view *v, uint32_t i)
{
    if (v->npending == v->pending_cap) {
        size_t cap = v->pending_cap ? v->pending_cap * 2 : 64;
        uint32_t *p = realloc(v->pending, cap * sizeof *p);
        if (!p)
            return false;
        v->pending = p;
        v->pending_cap = cap;
    }
    v->pending[v->npending++] = i;
    return true;
}

/* Calls are judged once they have ended (elapsed and self are known then);
 * the few still running wait in `pending`. */
static void filter_take_in(tui_view *v)
{
    if (!v->filter)
        return;
    size_t kept = 0;
    for (size_t k = 0; k < v->npending; k++) {
        uint32_t i = v->pending[k];
        if (node(v, i)->flags & TUI_ENDED)
            evaluate(v, i);
        else
            v->pending[kept++] = i;
    }
    v->npending = kept;
    uint32_t count = tui_model_count(v->model);
    for (uint32_t i = v->filtered_upto; i < count; i++) {
        if (node(v, i)->flags & TUI_ENDED || !tui_model_loading(v->model))
            evaluate(v, i);
        else if (!add_pending(v, i))
            break;
        v->filtered_upto = i + 1;
        v->dirty = true;
    }
}

static void clear_marks(tui_view *v)
{
    uint32_t count = tui_model_count(v->model);
    for (uint32_t i = 0; i < count; i++)
        node(v, i)->flags &= (uint16_t)~(TUI_MATCH | TUI_SUBTREE_MATCH);
    v->filtered_upto = 0;
    v->npending = 0;
}

bool tui_view_set_filter(tui_view *v, const char *text, tp_expr_error *error)
{
    tp_expr *e = NULL;
    if (text[strspn(text, " \t")] != '\0') {
        e = tp_expr_parse(text, error);
        if (!e)
            return false;
    }
    char *copy = e ? strdup(text) : NULL;
    if (e && !copy) {
        tp_expr_free(e);
        snprintf(error->message, sizeof error->message, "out of memory");
        error->position = 1;
        return false;
    }
    clear_marks(v);
    tp_expr_free(v->filter);
    free(v->filter_text);
    v->filter = e;
    v->filter_text = copy;
    v->dirty = true;
    filter_take_in(v);
    return true;
}

/* ---- rows ---- */

static bool push_row(tui_view *v, uint32_t i)
{
    if (v->nrows == v->rows_cap) {
        size_t cap = v->rows_cap ? v->rows_cap * 2 : 1024;
        uint32_t *r = realloc(v->rows, cap * sizeof *r);
        if (!r)
            return false;
        v->rows = r;
        v->rows_cap = cap;
    }
    v->rows[v->nrows++] = i;
    return true;
}

/* Pre-order walk that skips every collapsed or filtered-out subtree. */
static void rebuild(tui_view *v)
{
    uint32_t count = tui_model_count(v->model);
    v->nrows = 0;
    for (uint32_t i = 0; i < count;) {
        const tui_node *n = node(v, i);
        if (!tui_view_visible(v, n)) {
            i = tui_model_subtree_end(v->model, i);
            continue;
        }
        if (!push_row(v, i)) {
            snprintf(v->status, sizeof v->status, "out of memory: some calls are not shown");
            break;
        }
        i = (n->flags & TUI_EXPANDED) ? i + 1 : tui_model_subtree_end(v->model, i);
    }
    v->built_for = count;
    v->dirty = false;
}

static size_t lower_bound(const tui_view *v, uint32_t node_index)
{
    size_t lo = 0, hi = v->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->rows[mid] < node_index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool in_rows(const tui_view *v, uint32_t i)
{
    size_t r = lower_bound(v, i);
    return r < v->nrows && v->rows[r] == i;
}

/* Keeps the selection on a shown call: itself, else its nearest shown
 * ancestor, else the next shown call. */
static void fix_selection(tui_view *v)
{
    if (v->nrows == 0) {
        v->selected = TUI_NONE;
        return;
    }
    if (v->selected == TUI_NONE || v->selected >= tui_model_count(v->model)) {
        v->selected = v->rows[0];
        return;
    }
    for (uint32_t p = v->selected; p != TUI_NONE; p = node(v, p)->parent) {
        if (in_rows(v, p)) {
            v->selected = p;
            return;
        }
    }
    size_t r = lower_bound(v, v->selected);
    v->selected = v->rows[r < v->nrows ? r : v->nrows - 1];
}

void tui_view_refresh(tui_view *v)
{
    filter_take_in(v);
    if (v->dirty || v->built_for != tui_model_count(v->model))
        rebuild(v);
    fix_selection(v);
}

size_t tui_view_selected_row(const tui_view *v)
{
    return v->selected == TUI_NONE ? v->nrows : lower_bound(v, v->selected);
}

/* ---- moves ---- */

static void select_row(tui_view *v, size_t row)
{
    if (v->nrows > 0)
        v->selected = v->rows[row < v->nrows ? row : v->nrows - 1];
}

void tui_view_move(tui_view *v, long delta)
{
    size_t row = tui_view_selected_row(v);
    if (v->nrows == 0)
        return;
    if (delta < 0)
        row = (size_t)-delta > row ? 0 : row - (size_t)-delta;
    else
        row = row + (size_t)delta >= v->nrows ? v->nrows - 1 : row + (size_t)delta;
    select_row(v, row);
}

void tui_view_first(tui_view *v) { select_row(v, 0); }
void tui_view_last(tui_view *v) { select_row(v, v->nrows ? v->nrows - 1 : 0); }

void tui_view_reveal(tui_view *v, uint32_t i)
{
    for (uint32_t p = node(v, i)->parent; p != TUI_NONE; p = node(v, p)->parent)
        node(v, p)->flags |= TUI_EXPANDED;
    v->selected = i;
    rebuild(v);
    fix_selection(v);
}

void tui_view_toggle(tui_view *v)
{
    if (v->selected == TUI_NONE || !has_children(v, v->selected))
        return;
    node(v, v->selected)->flags ^= TUI_EXPANDED;
    rebuild(v);
}

void tui_view_right(tui_view *v)
{
    if (v->selected == TUI_NONE || !has_children(v, v->selected))
        return;
    tui_node *n = node(v, v->selected);
    if (n->flags & TUI_EXPANDED) {
        tui_view_move(v, 1);
        return;
    }
    n->flags |= TUI_EXPANDED;
    rebuild(v);
}

void tui_view_left(tui_view *v)
{
    if (v->selected == TUI_NONE)
        return;
    tui_node *n = node(v, v->selected);
    if ((n->flags & TUI_EXPANDED) && has_children(v, v->selected)) {
        n->flags &= (uint16_t)~TUI_EXPANDED;
        rebuild(v);
        return;
    }
    tui_view_parent(v);
}

void tui_view_parent(tui_view *v)
{
    if (v->selected == TUI_NONE)
        return;
    uint32_t p = node(v, v->selected)->parent;
    if (p == TUI_NONE)
        snprintf(v->status, sizeof v->status, "this call is a root: it has no caller");
    else
        v->selected = p;
}

void tui_view_levels(tui_view *v, unsigned levels)
{
    uint32_t count = tui_model_count(v->model);
    for (uint32_t i = 0; i < count; i++) {
        tui_node *n = node(v, i);
        if (n->depth + 1u < levels)
            n->flags |= TUI_EXPANDED;
        else
            n->flags &= (uint16_t)~TUI_EXPANDED;
    }
    rebuild(v);
    fix_selection(v);
    snprintf(v->status, sizeof v->status, "showing %u level%s", levels, levels > 1 ? "s" : "");
}

void tui_view_slowest_child(tui_view *v)
{
    if (v->selected == TUI_NONE)
        return;
    uint32_t end = tui_model_subtree_end(v->model, v->selected), best = TUI_NONE;
    for (uint32_t c = v->selected + 1; c < end; c = tui_model_subtree_end(v->model, c)) {
        const tui_node *n = node(v, c);
        if (tui_view_visible(v, n) && (best == TUI_NONE || n->elapsed_ms > node(v, best)->elapsed_ms))
            best = c;
    }
    if (best == TUI_NONE)
        snprintf(v->status, sizeof v->status, "no calls below this one");
    else
        tui_view_reveal(v, best);
}

void tui_view_slowest_self(tui_view *v)
{
    uint32_t count = tui_model_count(v->model), best = TUI_NONE;
    for (uint32_t i = 0; i < count; i++) {
        const tui_node *n = node(v, i);
        if (tui_view_visible(v, n) && (n->flags & TUI_HAS_ELAPSED)
            && (best == TUI_NONE || n->self_ms > node(v, best)->self_ms))
            best = i;
    }
    if (best != TUI_NONE)
        tui_view_reveal(v, best);
}

/* The next call after (or before) the selection, wrapping, that `hit`
 * accepts; TUI_NONE when none does. */
static uint32_t scan(tui_view *v, int direction, bool (*hit)(tui_view *, uint32_t), bool *wrapped)
{
    uint32_t count = tui_model_count(v->model);
    if (count == 0)
        return TUI_NONE;
    uint32_t start = v->selected == TUI_NONE ? count - 1 : v->selected;
    *wrapped = false;
    for (uint32_t k = 1; k <= count; k++) {
        uint64_t step = direction > 0 ? (uint64_t)start + k : (uint64_t)start + count - k;
        uint32_t i = (uint32_t)(step % count);
        if (direction > 0 ? i <= start : i >= start)
            *wrapped = true;
        if (tui_view_visible(v, node(v, i)) && hit(v, i))
            return i;
    }
    return TUI_NONE;
}

static bool raised(tui_view *v, uint32_t i)
{
    return (node(v, i)->flags & TUI_HAS_EXCEPTION) != 0;
}

void tui_view_next_exception(tui_view *v, int direction)
{
    bool wrapped;
    uint32_t i = scan(v, direction, raised, &wrapped);
    if (i == TUI_NONE) {
        snprintf(v->status, sizeof v->status, "no call raised an exception");
        return;
    }
    if (wrapped)
        snprintf(v->status, sizeof v->status, "exceptions: wrapped around");
    tui_view_reveal(v, i);
}

bool tui_view_set_search(tui_view *v, const char *pattern)
{
    regex_t re;
    int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, &re, why, sizeof why);
        snprintf(v->status, sizeof v->status, "bad regular expression: %s", why);
        return false;
    }
    if (v->has_search)
        regfree(&v->search);
    v->search = re;
    v->has_search = true;
    return true;
}

static bool line_matches(tui_view *v, uint32_t i)
{
    tui_line_text(&v->line, node(v, i));
    return regexec(&v->search, tp_buf_cstr(&v->line), 0, NULL, 0) == 0;
}

void tui_view_search_next(tui_view *v, int direction)
{
    if (!v->has_search) {
        snprintf(v->status, sizeof v->status, "no search yet: / starts one");
        return;
    }
    bool wrapped;
    uint32_t i = scan(v, direction, line_matches, &wrapped);
    if (i == TUI_NONE) {
        snprintf(v->status, sizeof v->status, "pattern not found");
        return;
    }
    if (wrapped)
        snprintf(v->status, sizeof v->status, direction > 0 ? "search hit bottom, continued at top"
                                                             : "search hit top, continued at bottom");
    tui_view_reveal(v, i);
}
