/* From 3.12 os.fork() warns (DeprecationWarning) when the process has more
 * than one thread, and it asks the kernel how many (/proc/self/stat), so a
 * thread of ours counts. 3.12 counts before it runs the at-fork functions
 * in the parent, 3.13 after them. This unit is the only place that knows;
 * trigger_file.c uses it to keep its watcher thread out of the count. */
#ifndef TP_COMPAT_FORK_WARNING_H
#define TP_COMPAT_FORK_WARNING_H

#include <stdbool.h>

/* Whether os.fork() warns of threads in this version. */
bool tp_fork_warns_of_threads(void);

/* In an at-fork `before` function (GIL held): notes which frame forks. */
void tp_fork_note_caller(void);

/* In an `after_in_parent` function: may a thread start now without being
 * counted? False where the count comes after those functions. */
bool tp_fork_counted_already(void);

/* Later, on the main thread (a pending call): is os.fork() perhaps still
 * running its `after_in_parent` functions? True while a frame called by
 * the forking frame runs, for at most a few milliseconds after the fork. */
bool tp_fork_may_still_count(void);

#endif
