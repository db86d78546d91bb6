/* While a window is open, SIGTERM, SIGHUP and SIGINT, when their action
 * is the default one, first write the window, then kill the process as
 * they would have; at most a few seconds later should the main thread not
 * reach a safe point to write it. */
#ifndef TP_TERM_SIGNALS_H
#define TP_TERM_SIGNALS_H

/* GIL held; from another thread than the main one, the handlers change
 * at the main thread's next safe point. */
void tp_term_signals_window_opened(void);
void tp_term_signals_window_closed(void);
/* In a forked child (main thread, GIL held): the parent's window is not
 * the child's, so neither are the handlers that came with it. */
void tp_term_signals_after_fork(void);

#endif
