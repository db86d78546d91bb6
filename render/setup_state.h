/* What tph setup created, recorded in CACHE_DIR/setup-state so that
 * tph disable removes exactly that: one line per path, "file PATH" or
 * "dir PATH" (absolute), after a comment line. */
#ifndef TPH_SETUP_STATE_H
#define TPH_SETUP_STATE_H

#include <stdbool.h>

#include "config.h"

#define TP_STATE_NAME "setup-state"

typedef struct tp_setup_state {
    tp_strlist files;       /* created files */
    tp_strlist dirs;        /* created directories */
} tp_setup_state;

/* Reads the state in `cache_dir`: 0, 1 when there is none, -1 after
 * printing "tph: COMMAND: ..." (unreadable or malformed). */
int tp_state_read(const char *cache_dir, const char *command, tp_setup_state *s);

/* Writes it (replacing the old one); 0, or 1 after printing the problem. */
int tp_state_write(const char *cache_dir, const tp_setup_state *s);

/* Adds `path` once; false when memory ran out. */
bool tp_state_add(tp_strlist *list, const char *path);

bool tp_state_has(const tp_strlist *list, const char *path);

void tp_state_free(tp_setup_state *s);

#endif
