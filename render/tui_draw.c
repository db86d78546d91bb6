#include "tui_draw.h"
#include "tui_line.h"

#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETAIL_MIN 8

/* Box and arrow characters only when the locale can show them. */
static bool utf8(void)
{
    return MB_CUR_MAX > 1;
}

static void rule(int y)
{
    for (int x = 0; x < COLS; x++)
        mvaddstr(y, x, utf8() ? "\u2500" : "-");
}

static int detail_height(void)
{
    int h = LINES / 3;
    return h < DETAIL_MIN ? DETAIL_MIN : h;
}

int tui_draw_tree_height(void)
{
    int h = LINES - 2 - detail_height();
    return h < 1 ? 1 : h;
}

/* Columns of a UTF-8 string's first `bytes` bytes, one per character. */
void tui_draw_clipped(int y, int x, const char *text, int width)
{
    int cols = 0;
    size_t n = 0;
    for (; text[n]; n++) {
        if (((unsigned char)text[n] & 0xC0) != 0x80) {
            if (cols == width)
                break;
            cols++;
        }
    }
    mvaddnstr(y, x, text, (int)n);
}

static void draw_title(tui_view *v)
{
    tui_model *m = v->model;
    char title[512];
    const tp_header *h = tui_model_header(m);
    bool partial = false;
    if (h)
        tp_header_bool(h, "partial", &partial);
    snprintf(title, sizeof title, " tph tui  %s  %u calls%s%s%s%s", tui_model_path(m),
             tui_model_count(m), tui_model_loading(m) ? " (loading...)" : "",
             partial ? "  PARTIAL (r reloads)" : "", v->filter ? "  filter: " : "",
             v->filter ? v->filter_text : "");
    attron(A_REVERSE);
    mvhline(0, 0, ' ', COLS);
    tui_draw_clipped(0, 0, title, COLS);
    attroff(A_REVERSE);
}

static void draw_row(tui_view *v, int y, uint32_t i, bool selected)
{
    const tui_node *n = tui_model_node(v->model, i);
    int indent = 2 * n->depth;
    if (indent > COLS / 2)
        indent = COLS / 2;
    bool parent = tui_model_subtree_end(v->model, i) > i + 1;
    bool open = (n->flags & TUI_EXPANDED) != 0;
    const char *marker = !parent ? "  " : utf8() ? (open ? "\u25be " : "\u25b8 ")
                                                 : (open ? "- " : "+ ");
    tui_line_text(&v->line, n);
    int attr = selected ? A_REVERSE : 0;
    if (n->flags & TUI_HAS_EXCEPTION)
        attr |= COLOR_PAIR(1);
    if (v->filter && (n->flags & TUI_MATCH))
        attr |= A_BOLD;
    attron(attr);
    if (selected)
        mvhline(y, 0, ' ', COLS);
    tui_draw_clipped(y, indent, marker, 2);
    tui_draw_clipped(y, indent + 2, tp_buf_cstr(&v->line), COLS - indent - 2);
    attroff(attr);
}

static void draw_rows(tui_view *v)
{
    int height = tui_draw_tree_height();
    size_t sel = tui_view_selected_row(v);
    if (sel < v->top)
        v->top = sel;
    else if (sel != v->nrows && sel >= v->top + (size_t)height)
        v->top = sel - (size_t)height + 1;
    if (v->top > v->nrows)
        v->top = 0;
    for (int y = 0; y < height && v->top + (size_t)y < v->nrows; y++)
        draw_row(v, y + 1, v->rows[v->top + (size_t)y], v->top + (size_t)y == sel);
    if (v->nrows == 0)
        mvaddstr(1, 2, v->filter ? "(no call matches the filter)"
                       : tui_model_loading(v->model) ? "(loading...)" : "(no calls recorded)");
}

/* Writes `label` and `text` wrapped over at most `max` lines from y;
 * returns the lines used. */
static int draw_wrapped(int y, const char *label, const char *text, int max)
{
    int width = COLS - 11, used = 0;
    if (width < 10 || max <= 0)
        return 0;
    mvaddstr(y, 1, label);
    size_t len = strlen(text), at = 0;
    do {
        size_t take = 0;
        int cols = 0;
        while (at + take < len && cols < width) {
            take++;
            while (at + take < len && ((unsigned char)text[at + take] & 0xC0) == 0x80)
                take++;
            cols++;
        }
        bool last = used == max - 1 && at + take < len;
        mvaddnstr(y + used, 10, text + at, (int)take);
        if (last)
            mvaddstr(y + used, COLS - 4, "...");
        at += take;
        used++;
    } while (at < len && used < max);
    return used;
}

static uint32_t child_count(const tui_view *v, uint32_t i)
{
    uint32_t end = tui_model_subtree_end(v->model, i), n = 0;
    for (uint32_t c = i + 1; c < end; c = tui_model_subtree_end(v->model, c))
        n++;
    return n;
}

static void draw_facts(tui_view *v, int y, uint32_t i)
{
    const tui_node *n = tui_model_node(v->model, i);
    char line[1024], elapsed[32], self[32], place[600], native[40] = "";
    const tp_header *h = tui_model_header(v->model);
    tp_thread_ref thread = tui_model_thread(v->model, n->thread);
    const char *tname = h && (n->flags & TUI_HAS_THREAD) ? tp_header_thread_name(h, thread) : NULL;
    if (thread.has_native)
        snprintf(native, sizeof native, "%s tid %lld", tname ? "," : "", (long long)thread.native);
    if (n->flags & TUI_HAS_LINENO)
        snprintf(place, sizeof place, "%s:%u", n->func->file ? n->func->file : "?", n->lineno);
    else
        snprintf(place, sizeof place, "%s", n->func->file ? n->func->file : "?");
    snprintf(line, sizeof line, " file     %s   depth %u   thread %s%s%lld%s%s", place, n->depth,
             tname ? tname : "", tname ? " (" : "", (long long)thread.ident, native,
             tname ? ")" : "");
    tui_draw_clipped(y, 0, line, COLS);
    tui_line_elapsed(elapsed, sizeof elapsed, n, false);
    tui_line_elapsed(self, sizeof self, n, true);
    snprintf(line, sizeof line, " time     elapsed %s   self %s   children %u   calls below %u%s",
             elapsed, self, child_count(v, i),
             tui_model_subtree_end(v->model, i) - i - 1,
             (n->flags & TUI_UNFINISHED) ? "   unfinished" : !(n->flags & TUI_ENDED) ? "   running" : "");
    tui_draw_clipped(y + 1, 0, line, COLS);
}

static void draw_detail(tui_view *v)
{
    int height = detail_height(), y = LINES - 1 - height;
    rule(y);
    if (v->selected == TUI_NONE)
        return;
    const tui_node *n = tui_model_node(v->model, v->selected);
    attron(A_BOLD);
    tui_draw_clipped(y, 2, n->func->display, COLS - 4);
    attroff(A_BOLD);
    draw_facts(v, y + 1, v->selected);
    int room = height - 3;
    const char *exc = tui_node_exception(n), *ret = tui_node_return(n);
    const char *args = tui_node_args(n);
    const char *outcome = exc ? exc : ret ? ret : (n->flags & TUI_ENDED) ? "(none)" : "(running)";
    int outcome_room = room / 2 > 0 ? room / 2 : 1;
    int used = draw_wrapped(y + 3, "args", args ? args : "(none)", room - 1);
    if (used < room - outcome_room)
        outcome_room = room - used;
    if (exc)
        attron(COLOR_PAIR(1));
    draw_wrapped(y + 3 + used, exc ? "raised" : "return", outcome, outcome_room);
    if (exc)
        attroff(COLOR_PAIR(1));
}

static void draw_bottom(tui_view *v, const tui_overlay *overlay)
{
    if (overlay && overlay->shown) {
        attron(COLOR_PAIR(1) | A_BOLD);
        mvhline(LINES - 3, 0, ' ', COLS);
        mvhline(LINES - 2, 0, ' ', COLS);
        tui_draw_clipped(LINES - 3, 0, overlay->text, COLS);
        tui_draw_clipped(LINES - 2, 0, overlay->marker, COLS);
        attroff(COLOR_PAIR(1) | A_BOLD);
    }
    const char *status = v->status[0] ? v->status
        : "q quit  j/k move  Enter fold  1-9 levels  s/S slowest  e exception  p parent  / search  f filter";
    tui_draw_clipped(LINES - 1, 0, status, COLS);
}

void tui_draw(tui_view *v, const tui_overlay *overlay)
{
    erase();
    draw_title(v);
    draw_rows(v);
    draw_detail(v);
    draw_bottom(v, overlay);
    refresh();
}
