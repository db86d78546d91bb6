/* tph tui: a full-screen browser over one trace (docs/tui.md). This file
 * runs the screen and the keys; tui_model loads, tui_view decides what is
 * shown, tui_draw draws. */
#include "cli.h"
#include "commands.h"
#include "expr_option.h"
#include "out_of_memory.h"
#include "tui_draw.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <ncurses.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define USAGE "tph tui FILE [--where EXPR]"
#define LEVELS 2            /* roots start expanded */
#define PROMPT_MAX 1024

struct tui {
    const char *path;
    tui_model *model;
    tui_view view;
    tui_overlay overlay;
    bool quit;
};

static void set_status(struct tui *t, const char *text)
{
    snprintf(t->view.status, sizeof t->view.status, "%s", text);
}

/* Reads a line on the bottom row; false on Esc. `buf` holds the initial
 * text and receives the answer. */
static bool prompt(const char *label, char *buf, size_t size)
{
    size_t len = strlen(buf);
    timeout(-1);
    curs_set(1);
    bool ok = false;
    for (;;) {
        move(LINES - 1, 0);
        clrtoeol();
        addstr(label);
        int room = COLS - (int)strlen(label) - 1;
        size_t from = room > 0 && len > (size_t)room ? len - (size_t)room : 0;
        addstr(buf + from);
        refresh();
        int c = getch();
        if (c == 27)
            break;
        if (c == 21) {   /* Ctrl-U: clear the line */
            buf[len = 0] = '\0';
            continue;
        }
        if (c == '\n' || c == '\r' || c == KEY_ENTER) {
            ok = true;
            break;
        }
        if (c == KEY_BACKSPACE || c == 127 || c == 8) {
            while (len > 0 && ((unsigned char)buf[--len] & 0xC0) == 0x80)
                ;
            buf[len] = '\0';
        } else if (c >= 0x20 && c < 0x100 && c != 0x7f && len + 1 < size) {
            buf[len++] = (char)c;
            buf[len] = '\0';
        }
    }
    curs_set(0);
    return ok;
}

static void ask_search(struct tui *t)
{
    char pattern[PROMPT_MAX] = "";
    if (!prompt("/", pattern, sizeof pattern) || !pattern[0])
        return;
    tui_model_lock(t->model);
    if (tui_view_set_search(&t->view, pattern))
        tui_view_search_next(&t->view, 1);
    tui_model_unlock(t->model);
}

static void show_expr_error(struct tui *t, const char *text, const tp_expr_error *e)
{
    snprintf(t->overlay.text, sizeof t->overlay.text, "filter: %s", text);
    size_t col = strlen("filter: ") + (e->position ? e->position - 1 : 0);
    if (col > 512)
        col = 512;
    memset(t->overlay.marker, ' ', col);
    snprintf(t->overlay.marker + col, sizeof t->overlay.marker - col,
             "^ %s (position %zu)", e->message, e->position);
    t->overlay.shown = true;
    snprintf(t->view.status, sizeof t->view.status,
             "bad filter, view unchanged: %s at position %zu", e->message, e->position);
}

static void ask_filter(struct tui *t)
{
    char text[PROMPT_MAX] = "";
    if (t->view.filter_text)
        snprintf(text, sizeof text, "%s", t->view.filter_text);
    if (!prompt("filter: ", text, sizeof text))
        return;
    tp_expr_error error;
    tui_model_lock(t->model);
    if (!tui_view_set_filter(&t->view, text, &error))
        show_expr_error(t, text, &error);
    else
        set_status(t, t->view.filter ? "filter applied (f, then an empty line, clears it)"
                                     : "filter cleared");
    tui_model_unlock(t->model);
}

/* r: loads the file again when it is a partial snapshot, keeping the
 * filter and, as far as it still exists, the selected call. */
static void reload(struct tui *t)
{
    tui_model_lock(t->model);
    const tp_header *h = tui_model_header(t->model);
    bool partial = false;
    bool loading = tui_model_loading(t->model);
    if (h)
        tp_header_bool(h, "partial", &partial);
    tui_model_unlock(t->model);
    if (loading || !partial) {
        set_status(t, loading ? "still loading" : "not a partial trace: nothing to reload");
        return;
    }
    tui_model *fresh = tui_model_open(t->path, LEVELS);
    if (!fresh) {
        set_status(t, "reload failed: out of memory");
        return;
    }
    uint32_t selected = t->view.selected;
    char *filter_text = t->view.filter_text ? strdup(t->view.filter_text) : NULL;
    tui_view_free(&t->view);
    tui_model_free(t->model);
    t->model = fresh;
    tui_view_init(&t->view, fresh);
    for (;;) {   /* snapshots are small next to a whole window: wait for it */
        tui_model_lock(fresh);
        bool done = !tui_model_loading(fresh);
        tui_model_unlock(fresh);
        if (done)
            break;
        napms(20);
    }
    tui_model_lock(fresh);
    tp_expr_error error;
    if (filter_text)
        tui_view_set_filter(&t->view, filter_text, &error);
    const char *problem = tui_model_error(fresh);
    if (selected != TUI_NONE && selected < tui_model_count(fresh))
        tui_view_reveal(&t->view, selected);
    snprintf(t->view.status, sizeof t->view.status, "%s%s", problem ? "reload: " : "reloaded",
             problem ? problem : "");
    tui_model_unlock(fresh);
    free(filter_text);
}

static void key_move(struct tui *t, int c)
{
    tui_view *v = &t->view;
    long page = tui_draw_tree_height();
    switch (c) {
    case 'j': case KEY_DOWN: tui_view_move(v, 1); break;
    case 'k': case KEY_UP: tui_view_move(v, -1); break;
    case KEY_NPAGE: case 6: tui_view_move(v, page); break;
    case KEY_PPAGE: case 2: tui_view_move(v, -page); break;
    case 'g': case KEY_HOME: tui_view_first(v); break;
    case 'G': case KEY_END: tui_view_last(v); break;
    case '\n': case '\r': case KEY_ENTER: case ' ': tui_view_toggle(v); break;
    case 'l': case KEY_RIGHT: tui_view_right(v); break;
    case 'h': case KEY_LEFT: tui_view_left(v); break;
    case 'p': tui_view_parent(v); break;
    case 's': tui_view_slowest_child(v); break;
    case 'S': tui_view_slowest_self(v); break;
    case 'e': tui_view_next_exception(v, 1); break;
    case 'E': tui_view_next_exception(v, -1); break;
    case 'n': tui_view_search_next(v, 1); break;
    case 'N': tui_view_search_next(v, -1); break;
    default:
        if (c >= '1' && c <= '9')
            tui_view_levels(v, (unsigned)(c - '0'));
        break;
    }
}

static void handle_key(struct tui *t, int c)
{
    t->overlay.shown = false;
    t->view.status[0] = '\0';
    switch (c) {
    case 'q': t->quit = true; return;
    case '/': ask_search(t); return;
    case 'f': ask_filter(t); return;
    case 'r': reload(t); return;
    case KEY_RESIZE: return;
    default: break;
    }
    tui_model_lock(t->model);
    key_move(t, c);
    tui_model_unlock(t->model);
}

/* Draws; returns false when loading failed before any call arrived (the
 * caller leaves the screen and reports it). */
static bool draw(struct tui *t)
{
    tui_model_lock(t->model);
    bool fatal = tui_model_error(t->model) && tui_model_count(t->model) == 0;
    if (!fatal) {
        tui_view_refresh(&t->view);
        const char *problem = tui_model_error(t->model);
        if (problem && !t->view.status[0])
            snprintf(t->view.status, sizeof t->view.status, "load stopped: %s", problem);
        tui_draw(&t->view, &t->overlay);
    }
    timeout(tui_model_loading(t->model) ? 100 : -1);
    tui_model_unlock(t->model);
    return !fatal;
}

static bool readable(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tph: %s: cannot open: %s at byte 0\n", path, strerror(errno));
        return false;
    }
    bool dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    close(fd);
    if (dir)
        fprintf(stderr, "tph: %s: is a directory, not a trace file at byte 0\n", path);
    return !dir;
}

/* Whether the screen is curses'; the main thread sets it, and the
 * loader thread may take it back when tph ends on a failed allocation. */
static atomic_bool screen_on;

static void leave_screen(void)
{
    if (atomic_exchange(&screen_on, false))
        endwin();
}

static int run(struct tui *t, const char *where)
{
    if (!readable(t->path))
        return 1;
    tp_oom_on_exit(leave_screen);
    t->model = tui_model_open(t->path, LEVELS);
    if (!t->model) {
        fprintf(stderr, "tph: %s: out of memory at byte 0\n", t->path);
        return 1;
    }
    tui_view_init(&t->view, t->model);
    tp_expr_error error;
    if (where && !tui_view_set_filter(&t->view, where, &error)) {
        fprintf(stderr, "tph tui: --where \"%s\": %s at position %zu\n", where, error.message,
                error.position);
        tui_view_free(&t->view);
        tui_model_free(t->model);
        return 2;
    }
    setlocale(LC_ALL, "");
    initscr();
    atomic_store(&screen_on, true);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_RED, -1);
    }
    bool ok = true;
    while (!t->quit && (ok = draw(t))) {
        int c = getch();
        if (c != ERR)
            handle_key(t, c);
    }
    leave_screen();
    int rc = 0;
    if (!ok) {
        tui_model_lock(t->model);
        fprintf(stderr, "tph: %s\n", tui_model_error(t->model));
        tui_model_unlock(t->model);
        rc = 1;
    }
    tui_view_free(&t->view);
    tui_model_free(t->model);
    return rc;
}

int cmd_tui(int argc, char **argv)
{
    static const struct option options[] = {
        {"where", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *where = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n\nBrowse a trace full-screen: fold, search, filter "
                   "(keys and expressions: docs/tui.md).\n", USAGE);
            return 0;
        }
        if (c != 'w')
            return tp_bad_option("tui", USAGE, c, argv);
        where = optarg;
    }
    if (optind != argc - 1)
        return tp_usage_error("tui", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    tp_expr *check = where ? tp_expr_parse_option("tui", where) : NULL;
    if (where && !check)
        return 2;
    tp_expr_free(check);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "tph tui: needs a terminal (use tph tree to print)\n");
        return 1;
    }
    struct tui t;
    memset(&t, 0, sizeof t);
    t.path = argv[optind];
    return run(&t, where);
}
