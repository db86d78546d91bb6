/* How tph ends when memory runs out: one line on stderr, `tph: FILE: out
 * of memory` (with `at byte N` while reading), and exit status 1, after
 * the screen is given back (`tph tui`). Text built in a tp_buf and yajl's
 * own allocations end this way; other allocations are checked where they
 * are made and end with the same line. */
#ifndef TPH_OUT_OF_MEMORY_H
#define TPH_OUT_OF_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

/* From main, before anything is allocated: a failed tp_buf ends tph. */
void tp_oom_install(void);
/* The file being read, named by the message (the reader sets it). */
void tp_oom_set_file(const char *name);
/* Run before the message, on whichever thread ran out. */
void tp_oom_on_exit(void (*before_exit)(void));
/* `at`: the byte of the file being read, or NULL. */
__attribute__((noreturn)) void tp_oom_exit(const uint64_t *at);

#endif
