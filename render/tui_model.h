/* The call table behind `tph tui`: one compact record per call, filled by
 * a loader thread that streams the file with the ordinary reader while the
 * screen is already up (the first screen does not wait for a 1M-call file).
 *
 * Memory per call: 48 bytes (tui_node) plus its args, return value and
 * exception text (each cut at 16 KiB by the reader); function names and
 * files are stored once per distinct function. A 1,000,000-call file from
 * scripts/gen-trace takes about 48 MB of table plus its text.
 *
 * Calls are in pre-order, so a call's subtree is the index range
 * [i, i + descendants]. Every access to the table, including through the
 * tui_model_* functions, happens with the model locked (tui_model_lock);
 * text pointers stay valid until tui_model_free. */
#ifndef TPH_TUI_MODEL_H
#define TPH_TUI_MODEL_H

#include "buf.h"
#include "header.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define TUI_NONE UINT32_MAX

/* A distinct function (module, qualname, name, file). */
typedef struct tui_func {
    const char *name, *qualname, *module, *file;
    const char *display;          /* module.qualname, as tph tree shows it */
} tui_func;

enum {
    TUI_HAS_ARGS = 1 << 0, TUI_HAS_RETURN = 1 << 1, TUI_HAS_EXCEPTION = 1 << 2,
    TUI_HAS_ELAPSED = 1 << 3, TUI_HAS_THREAD = 1 << 4, TUI_HAS_LINENO = 1 << 5,
    TUI_UNFINISHED = 1 << 6, TUI_ENDED = 1 << 7,
    /* view state, owned by tui_view */
    TUI_EXPANDED = 1 << 8, TUI_MATCH = 1 << 9, TUI_SUBTREE_MATCH = 1 << 10,
};

typedef struct tui_node {
    const tui_func *func;
    const char *text;             /* args, return, exception: each NUL-ended, present per flags */
    uint32_t parent;              /* TUI_NONE for a root */
    uint32_t descendants;         /* so far, until TUI_ENDED */
    uint32_t lineno;
    float elapsed_ms, self_ms;
    uint16_t depth;
    uint16_t thread;              /* index into the model's thread ids */
    uint16_t flags;
} tui_node;

typedef struct tui_model tui_model;

/* Starts loading `path`; NULL when out of memory or the thread cannot
 * start. `levels`: calls above this depth start expanded. */
tui_model *tui_model_open(const char *path, unsigned levels);
/* Waits for the loader and frees everything. */
void tui_model_free(tui_model *m);

void tui_model_lock(tui_model *m);
void tui_model_unlock(tui_model *m);

/* With the lock held: */
uint32_t tui_model_count(const tui_model *m);
tui_node *tui_model_node(const tui_model *m, uint32_t i);
/* One past the last call of i's subtree (for an open call, the count). */
uint32_t tui_model_subtree_end(const tui_model *m, uint32_t i);
tp_thread_ref tui_model_thread(const tui_model *m, uint16_t slot);
bool tui_model_loading(const tui_model *m);
/* After loading: the error line ("PATH: ... at byte N"), or NULL. */
const char *tui_model_error(const tui_model *m);
/* After loading without error: the header (partial, thread names). */
const tp_header *tui_model_header(const tui_model *m);
const char *tui_model_path(const tui_model *m);

/* A call's texts; NULL when absent. */
const char *tui_node_args(const tui_node *n);
const char *tui_node_return(const tui_node *n);
const char *tui_node_exception(const tui_node *n);

#endif
