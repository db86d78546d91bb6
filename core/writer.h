/* Getting a closed window onto disk, off the GIL. */
#ifndef TP_WRITER_H
#define TP_WRITER_H

#include "window.h"

/* Takes ownership of `w`: writes it from a short-lived thread (or right
 * here if no thread can be started), then frees it. No Python. */
void tp_writer_submit(tp_window *w);
/* Writes `w` now, in this thread, and frees it. */
void tp_writer_write_now(tp_window *w);
/* Waits for writer threads still running (call with the GIL released). */
void tp_writer_wait_all(void);
/* In a forked child: the parent's writer threads do not exist here. */
void tp_writer_forget_after_fork(void);

#endif
