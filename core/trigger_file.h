/* TRACEPATCH_TRIGGER: a window is open while a file exists. A watcher
 * thread exists only when this is configured. */
#ifndef TP_TRIGGER_FILE_H
#define TP_TRIGGER_FILE_H

void tp_trigger_start(const char *path);
/* Stops and joins the watcher (GIL held; released while waiting). */
void tp_trigger_stop(void);
/* Around os.fork() in the parent: a process with the watcher is
 * multi-threaded, and from 3.12 os.fork() warns about that
 * (compat/fork_warning.h). The watcher is joined before the fork and
 * started again once the main thread runs Python after it (GIL held). */
void tp_trigger_pause_for_fork(void);
void tp_trigger_resume_after_fork(void);
/* In a forked child: the watcher did not survive the fork; start anew. */
void tp_trigger_after_fork(void);

#endif
