/* tracepatch configuration: defaults, the config file (tracepatch.toml or
 * [tool.tracepatch] in pyproject.toml) and TRACEPATCH_<KEY> overrides.
 * Shared by the core (inside the traced process) and `tph config`, so it
 * never prints, never exits and reports every problem as one line through
 * a callback. See docs/configuration.md for the accepted TOML subset. */
#ifndef TP_CONFIG_H
#define TP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct tp_strlist {
    char **items;
    size_t n;
} tp_strlist;

/* Where a key's effective value came from. */
typedef enum tp_origin_kind {
    TP_ORIGIN_DEFAULT,
    TP_ORIGIN_FILE,     /* line `line` of tp_config.file */
    TP_ORIGIN_ENV,      /* the variable tp_config_env_name() names */
} tp_origin_kind;

typedef struct tp_origin {
    tp_origin_kind kind;
    int line;
} tp_origin;

/* One candidate file looked at while searching for the config. */
typedef struct tp_config_candidate {
    char *path;
    const char *status;     /* static text: "used", "not found", ... */
} tp_config_candidate;

enum { TP_CONFIG_MAX_KEYS = 32 };

typedef struct tp_config {
    long max_depth;
    long max_calls;
    long max_repr;
    double max_seconds;
    long max_memory_mb;
    long min_free_mb;               /* a trace never leaves its file system less free */
    tp_strlist ignore_modules;
    tp_strlist include_modules;     /* empty: every module */
    tp_strlist redact;              /* case-insensitive substrings */
    char *cache_dir;                /* relative: to the working directory */
    char *fallback_dir;             /* when cache_dir cannot take a trace; NULL: the
                                       built-in ${TMPDIR:-/tmp}/tracepatch-<euid>;
                                       "none": no fallback */
    char *default_label;            /* NULL: no label */
    bool quiet;
    bool repr_safe;                 /* key `repr`: "safe" */
    long repr_budget_ms;            /* per class and window, for its own __repr__; 0: none */
    int signal;                     /* 0: no signal trigger */
    char *trigger;                  /* NULL: no trigger file */
    bool autostart;
    bool record_c_calls;
    bool inherit;
    double snapshot_seconds;        /* 0: no snapshots of an open window */
    tp_strlist line_functions;      /* "pkg.mod:func", "pkg.mod:Class.method": line mode */
    int variable_mode;              /* enum tp_variable_mode */
    long line_samples;              /* first and last K values per variable and line */
    long line_max_steps;            /* steps kept per call in line mode */

    /* Provenance, for `tph config` and the trace header. */
    char *file;                     /* config file applied, as shown in messages; NULL: none */
    char *loaded_in;                /* the working directory it was loaded in; NULL: unknown */
    tp_origin origin[TP_CONFIG_MAX_KEYS];   /* indexed like tp_config_key_name() */
    tp_config_candidate *searched;
    size_t n_searched;
    bool out_of_memory;             /* an allocation failed; some values may be defaults */
} tp_config;

typedef void (*tp_config_report_fn)(void *ctx, const char *message);
typedef const char *(*tp_getenv_fn)(const char *name);

void tp_config_init(tp_config *cfg);

/* Finds the config (TRACEPATCH_CONFIG=path, else tracepatch.toml or a
 * pyproject.toml with a [tool.tracepatch] table, searched from `cwd` upward;
 * NULL cwd: the working directory), applies it, then TRACEPATCH_<KEY>
 * overrides read through `getenv_fn` (NULL: getenv). Each problem is one
 * line through `report` (no prefix; the key keeps its previous value) and
 * loading goes on. Returns 0, or -1 when memory ran out. */
int tp_config_load(tp_config *cfg, const char *cwd, tp_getenv_fn getenv_fn,
                   tp_config_report_fn report, void *ctx);

/* As tp_config_load, but `explicit_path` (when not NULL) is used as if
 * TRACEPATCH_CONFIG named it (`tph config --file PATH`). */
int tp_config_load_from(tp_config *cfg, const char *cwd, const char *explicit_path,
                        tp_getenv_fn getenv_fn, tp_config_report_fn report, void *ctx);

void tp_config_free(tp_config *cfg);

/* True if `module` equals a prefix or starts with prefix + ".". */
bool tp_module_matches(const tp_strlist *prefixes, const char *module);

/* True if `name` contains one of `words`, ignoring ASCII case. */
bool tp_name_redacted(const tp_strlist *words, const char *name);

enum tp_variable_mode { TP_VARS_CHANGED, TP_VARS_ALL, TP_VARS_NONE };
const char *tp_variable_mode_name(int mode);

/* "SIGUSR1", "SIGRTMIN+3"; "none" for 0; "SIG?" for anything else. */
const char *tp_signal_name(int signo);

/* Introspection over the key table, for `tph config` and the trace header. */
size_t tp_config_key_count(void);
const char *tp_config_key_name(size_t i);
const char *tp_config_env_name(size_t i);       /* "TRACEPATCH_MAX_DEPTH" */
/* Appends key i's value as TOML ("30", "\"x\"", ["a", "b"]). */
void tp_config_format_value(const tp_config *cfg, size_t i, tp_buf *out);
/* Appends "default", "tracepatch.toml:7" or "TRACEPATCH_MAX_DEPTH". */
void tp_config_format_origin(const tp_config *cfg, size_t i, tp_buf *out);
/* Whether key `name` was set by a file or the environment (false for an
 * unknown name). */
bool tp_config_is_set(const tp_config *cfg, const char *name);

#endif
