/* Opening and closing trace windows. All with the GIL held. */
#ifndef TP_WINDOW_CTL_H
#define TP_WINDOW_CTL_H

#include <stdbool.h>

#include "guard.h"
#include "window.h"

/* Settings for every window; set once by setup, read-only afterwards. */
extern const tp_config *tp_settings;

bool tp_window_is_open(void);
/* Whether a closed window waits for a recording step to be done with it
 * before it is written (tp_window_close_in_place_then covers those too). */
bool tp_window_awaiting(void);
/* `trigger`: "signal", "trigger_file", "startup"; `how`: for the message. */
bool tp_window_open(const char *trigger, const char *how);
/* Stops recording and hands the window to a writer thread. */
void tp_window_close(const char *reason);
/* When the process ends ("exit") or replaces itself ("exec"): close and
 * write before returning. */
void tp_window_close_in_place(const char *reason);
/* The same, with `before()` as the write begins and `then()` once the
 * file is written: at once, or, when this interrupted a recording step (a
 * signal handler run inside a __repr__ we called), once that step is done
 * with the window. */
void tp_window_close_in_place_then(const char *reason, void (*before)(void),
                                   void (*then)(void));
/* From an event callback: a limit wants the window closed at the next
 * safe point (a pending call on the main thread). */
void tp_window_request_close(tp_window *w, const char *reason);
/* From an event callback: write what `w` recorded so far, as a partial
 * trace, unless the previous snapshot is still being written. */
void tp_window_snapshot(tp_window *w, uint64_t now_tick);
/* Hands a closed window to its writer once no callback is inside it. */
void tp_window_hand_off(tp_window *w);
/* An event callback begins and ends a recording step in `w` (see `busy`),
 * holding this thread's guard meanwhile (guard.h); inline, as every
 * recorded call passes here twice. */
static inline void tp_window_enter(tp_window *w)
{
    w->busy++;
    tp_guard_hold();
}

static inline void tp_window_leave(tp_window *w)
{
    tp_guard_unhold();
    if (--w->busy == 0 && w->closed)
        tp_window_hand_off(w);
}
/* Frees a written window. Any thread: it holds no Python references. */
void tp_window_free(tp_window *w);
/* In a forked child: the parent's window is not ours; forget it. */
void tp_window_forget_after_fork(void);

#endif
