/* Shared by the config tests: temporary directories, captured reports and
 * an injected environment. */
#ifndef TP_CONFIG_TEST_HELPERS_H
#define TP_CONFIG_TEST_HELPERS_H

#include <stddef.h>

#include "config.h"

#define MAX_REPORTS 64

typedef struct reports {
    char *lines[MAX_REPORTS];
    int n;
} reports;

void collect_report(void *ctx, const char *message);
void reports_free(reports *r);
/* True if some report contains `needle`. */
int reports_contain(const reports *r, const char *needle);

char *make_temp_dir(void);
void remove_tree(const char *dir);
char *path_join(const char *dir, const char *name);
void write_file(const char *dir, const char *name, const char *text);
void write_bytes(const char *dir, const char *name, const void *data, size_t len);

/* The injected environment: a few NAME=VALUE pairs. */
void fake_env_clear(void);
void fake_env_set(const char *name, const char *value);
const char *fake_getenv(const char *name);

/* Writes `toml` to DIR/tracepatch.toml in a fresh directory and loads it
 * with the fake environment; returns the directory (caller removes it). */
char *load_toml(tp_config *cfg, reports *r, const char *toml);

/* The value of key `name` formatted as TOML. Caller frees. */
char *value_of(const tp_config *cfg, const char *name);
char *origin_of(const tp_config *cfg, const char *name);

#endif
