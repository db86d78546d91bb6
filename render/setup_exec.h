/* Running the helper programs tph setup needs (git, python) as children,
 * their output captured. */
#ifndef TPH_SETUP_EXEC_H
#define TPH_SETUP_EXEC_H

#include <stdbool.h>

#include "buf.h"

typedef struct tp_exec_result {
    bool started;       /* false: the program could not be run; errno_value says why */
    int errno_value;
    int status;         /* exit status; 128 + N when killed by signal N */
} tp_exec_result;

/* Runs argv (looked up in PATH) with stdin from /dev/null, stdout into
 * `out` (appended) and stderr into `err` (appended; NULL: discarded).
 * Returns false only when memory ran out. */
bool tp_exec_capture(char *const argv[], tp_buf *out, tp_buf *err, tp_exec_result *result);

/* Runs argv with tph's own stdin, stdout and stderr, in `cwd` (NULL: here);
 * returns its pid, or -1 with errno set. */
int tp_exec_spawn(char *const argv[], const char *cwd);

/* Waits for pid; its exit status, 128 + N for signal N, -1 on error. */
int tp_exec_wait(int pid);

#endif
