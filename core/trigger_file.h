/* TRACEPATCH_TRIGGER: a window is open while a file exists. A watcher
 * thread exists only when this is configured. */
#ifndef TP_TRIGGER_FILE_H
#define TP_TRIGGER_FILE_H

void tp_trigger_start(const char *path);
/* Stops and joins the watcher (GIL held; released while waiting). */
void tp_trigger_stop(void);
/* In a forked child: the watcher did not survive the fork; start anew. */
void tp_trigger_after_fork(void);

#endif
