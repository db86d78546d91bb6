/* Getting a closed window onto disk, off the GIL. */
#ifndef TP_WRITER_H
#define TP_WRITER_H

#include <stdbool.h>

#include "window.h"

/* Takes ownership of `w`: writes it from a short-lived thread (or right
 * here if no thread can be started), then frees it. No Python. */
void tp_writer_submit(tp_window *w);
/* Takes ownership of `snapshot`, a partial copy of the open window
 * `live`, and writes it from a thread; `live` cannot be written (and
 * freed) before that is done. GIL held. */
void tp_writer_submit_snapshot(tp_window *snapshot, tp_window *live);
/* Whether a snapshot of `live` is still being written. */
bool tp_writer_snapshots_running(tp_window *live);
/* Writes `w` now, in this thread, and frees it. */
void tp_writer_write_now(tp_window *w);
/* Waits for writer threads still running (call with the GIL released). */
void tp_writer_wait_all(void);
/* In a forked child: the parent's writer threads do not exist here. */
void tp_writer_forget_after_fork(void);

#endif
