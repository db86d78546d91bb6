/* What tph setup and tph disable work on: the config file found from here
 * (as tph config finds it), the project directory (the config file's) and
 * the cache directory there. */
#ifndef TPH_SETUP_PROJECT_H
#define TPH_SETUP_PROJECT_H

#include <stdbool.h>

#include "config.h"
#include "config_test.h"

typedef struct tp_project {
    tp_config cfg;
    char *config_path;      /* absolute; NULL when no config file was found */
    char *dir;              /* the config file's directory, else the working directory */
    char *cache_dir;        /* absolute: cfg.cache_dir taken from `dir` */
    tp_test_tables tables;
    bool tables_broken;     /* a problem was reported in the test tables */
} tp_project;

/* Loads the config (problems with its keys go to stderr as in tph config)
 * and, when `want_tables`, the test tables. Returns 0, or 1 after printing
 * "tph: COMMAND: ..." (out of memory, or no config / no [[test.files]] with
 * the example to paste). */
int tp_project_load(tp_project *p, const char *command, bool want_tables);

void tp_project_free(tp_project *p);

/* "DIR/NAME" (NAME absolute: NAME itself); NULL when memory ran out. */
char *tp_project_path(const char *dir, const char *name);

#endif
