/* tph logs --follow: watches a cache directory with inotify and reports
 * each trace file that appears there, and each time one is replaced (the
 * core rewrites a snapshot of a long window under the same name, by
 * rename, with "partial": true), until interrupted. */
#ifndef TPH_LOGS_FOLLOW_H
#define TPH_LOGS_FOLLOW_H

#include <stdbool.h>

/* Called once per event with the file's path; `replaced` when a file of
 * that name was there before (at the start or earlier in the follow). */
typedef void (*tp_follow_fn)(const char *path, bool replaced, void *ctx);

/* Follows `dir` (waiting for it to exist) until a signal ends the
 * process; returns 1 after printing an error line when watching fails. */
int tp_logs_follow(const char *dir, tp_follow_fn report, void *ctx);

#endif
