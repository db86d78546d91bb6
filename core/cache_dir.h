/* The trace cache directory: created 0700 on first use with a .gitignore
 * and a README, never followed through a symlink. */
#ifndef TP_CACHE_DIR_H
#define TP_CACHE_DIR_H

#include "buf.h"

/* Opens (creating as needed) the directory `path`; returns a directory fd,
 * or -1 with a one-line reason in `why`. */
int tp_cache_dir_open(const char *path, tp_buf *why);

#endif
