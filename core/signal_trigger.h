/* The window signal (default SIGUSR1): caught raw until set-up so an early
 * one cannot kill the process, then handled through Python's own signal
 * machinery, which runs our handler on the main thread at a safe point. */
#ifndef TP_SIGNAL_TRIGGER_H
#define TP_SIGNAL_TRIGGER_H

#include <stdbool.h>

/* Before the interpreter starts: remember a signal that arrives early.
 * Only takes the signal if nobody handles it yet. */
void tp_signal_catch_early(int signo);
/* At set-up (main thread, GIL held): hand the signal to Python's machinery,
 * unless the app already owns it. Returns how many signals came early. */
int tp_signal_setup(int signo);
/* Before the interpreter starts, when the core stays out after all: the
 * signal's default action again, if tp_signal_catch_early took it. */
void tp_signal_release_early(int signo);

#endif
