/* Leaving the process with a window open: os._exit() and os.exec*.
 * (SIGTERM and the like: term_signals.h.)
 * (Normal exits, sys.exit and unhandled exceptions go through atexit.) */
#ifndef TP_EXIT_PATHS_H
#define TP_EXIT_PATHS_H

/* At set-up, a safe point: imports atexit, which registering needs (a
 * window may open from inside an import, where no import may run). */
void tp_at_exit_prepare(void);
/* Registers, once, an atexit hook that writes an open window, stops the
 * trigger watcher and waits for writer threads. Only needed once a window
 * has opened (or a watcher exists). Runs no Python code. GIL held. */
void tp_at_exit_register(void);
/* The preload calls this from its _exit() before the real one. */
void tp_exit_hook(int status);
/* ... and this from its execv(), execve() and fexecve() (os.exec*): the
 * window ends with end_reason "exec", even if the exec then fails. */
void tp_exec_hook(void);
/* This process (again, after a fork) owns the windows it records. */
void tp_exit_paths_set_owner(void);

#endif
