/* Drawing `tph tui` with ncurses: title bar, the rows, the detail pane of
 * the selected call, and the bottom line (status, prompt or an error with
 * a caret under its position). Called with the model locked. */
#ifndef TPH_TUI_DRAW_H
#define TPH_TUI_DRAW_H

#include "tui_view.h"

/* Two lines shown above the bottom line until the next key, e.g. a bad
 * filter expression and a caret line under the error. */
typedef struct tui_overlay {
    char text[1024];
    char marker[1024];
    bool shown;
} tui_overlay;

/* Rows of the screen the tree gets (the rest: title, detail, bottom). */
int tui_draw_tree_height(void);

void tui_draw(tui_view *v, const tui_overlay *overlay);

/* Writes `text` at (y, x), at most `width` columns, cut on a character
 * boundary. */
void tui_draw_clipped(int y, int x, const char *text, int width);

#endif
