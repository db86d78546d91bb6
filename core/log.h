/* Messages on stderr, one line each, prefixed "tracepatch[pid]: ". */
#ifndef TP_LOG_H
#define TP_LOG_H

#include <stdbool.h>

/* Notes what fd 2 is (from the core's init, before any thread of ours). */
void tp_log_remember_stderr(void);
/* Whether a line may go to fd 2 now: it is the stderr the process began
 * with, or a terminal, pipe or socket, or a file opened for appending (a
 * log the app put there). Not a file the app opened on fd 2 after closing
 * its stderr, whose contents a line would corrupt. Async-signal-safe. */
bool tp_log_stderr_ok(void);

void tp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only when TRACEPATCH_DEBUG is set. */
void tp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
