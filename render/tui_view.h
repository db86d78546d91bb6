/* What `tph tui` shows of the call table: the visible rows (calls whose
 * ancestors are expanded and that pass the filter), the selection, and the
 * moves the keys make. No ncurses here: every function runs with the
 * model locked and leaves `status` set when it has something to say.
 *
 * Memory: 4 bytes per visible row, on top of the model. */
#ifndef TPH_TUI_VIEW_H
#define TPH_TUI_VIEW_H

#include "expr.h"
#include "tui_model.h"

#include <regex.h>
#include <stddef.h>

typedef struct tui_view {
    tui_model *model;
    uint32_t *rows;               /* node indexes, increasing */
    size_t nrows, rows_cap;
    uint32_t selected;            /* node index, TUI_NONE before the first call */
    size_t top;                   /* first row on screen */
    uint32_t built_for;           /* model count the rows were built for */
    bool dirty;
    tp_expr *filter;
    char *filter_text;
    uint32_t filtered_upto;       /* calls the filter has looked at */
    uint32_t *pending;            /* calls still running when looked at */
    size_t npending, pending_cap;
    regex_t search;
    bool has_search;
    tp_buf line;                  /* scratch for search */
    char status[256];
} tui_view;

void tui_view_init(tui_view *v, tui_model *m);
void tui_view_free(tui_view *v);

/* Takes in calls loaded since the last call; rebuilds rows if needed. */
void tui_view_refresh(tui_view *v);

/* The row of the selection (nrows when there are no rows). */
size_t tui_view_selected_row(const tui_view *v);

void tui_view_move(tui_view *v, long delta);   /* rows; clamps */
void tui_view_first(tui_view *v);
void tui_view_last(tui_view *v);
void tui_view_toggle(tui_view *v);             /* Enter, Space */
void tui_view_right(tui_view *v);              /* expand, else first child */
void tui_view_left(tui_view *v);               /* collapse, else parent */
void tui_view_parent(tui_view *v);
void tui_view_levels(tui_view *v, unsigned levels);  /* 1-9: show that many levels */
void tui_view_slowest_child(tui_view *v);      /* s */
void tui_view_slowest_self(tui_view *v);       /* S */
void tui_view_next_exception(tui_view *v, int direction);  /* e, E */

/* `/`: false (view unchanged, status set) when the regex is bad. */
bool tui_view_set_search(tui_view *v, const char *pattern);
void tui_view_search_next(tui_view *v, int direction);     /* n, N */

/* `f`: an empty text clears the filter. false (view unchanged, `error`
 * filled) when the expression is bad. */
bool tui_view_set_filter(tui_view *v, const char *text, tp_expr_error *error);

/* Whether a call passes the filter (or its subtree does). */
bool tui_view_visible(const tui_view *v, const tui_node *n);

/* Selects the call, expanding its ancestors. */
void tui_view_reveal(tui_view *v, uint32_t node);

#endif
