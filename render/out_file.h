/* Where tph export and tph flame write: a file named by -o, or stdout. */
#ifndef TPH_OUT_FILE_H
#define TPH_OUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

/* Opens `path` for writing (NULL or "-": stdout). On failure prints
 * "tph: PATH: reason" and returns NULL. */
FILE *tp_out_open(const char *path);

/* Closes what tp_out_open returned. When `ok` is false or closing fails,
 * a regular file (not stdout, not a device) is removed; a close failure is reported as
 * "tph: PATH: reason". Returns true when everything was written. */
bool tp_out_close(FILE *f, const char *path, bool ok);

#endif
