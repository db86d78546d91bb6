/* Private to the config module: the key table, values handed to it, and
 * the pieces config.c glues together (file reading, TOML reader, env). */
#ifndef TP_CONFIG_INTERNAL_H
#define TP_CONFIG_INTERNAL_H

#include "config.h"

/* Bound on what a config file may cost at process start-up. */
#define TP_CONFIG_MAX_FILE_BYTES (1024 * 1024)
/* After this many problems in one file, the rest are counted, not reported. */
#define TP_CONFIG_MAX_REPORTS 20

typedef enum tp_value_kind {
    TP_VALUE_TEXT,      /* environment: plain text, the key's own syntax */
    TP_VALUE_STRING,    /* TOML string */
    TP_VALUE_BARE,      /* TOML bare token: number, boolean, or junk */
    TP_VALUE_ARRAY,     /* TOML array */
} tp_value_kind;

typedef struct tp_value {
    tp_value_kind kind;
    const char *text;           /* TEXT, STRING, BARE */
    char **items;               /* ARRAY: element texts */
    size_t n_items;
    const char *non_string;     /* ARRAY: first element that was not a string */
} tp_value;

/* What a key parser says. */
typedef enum tp_parse_result {
    TP_PARSE_OK,
    TP_PARSE_INVALID,   /* `why` holds "expected ..., got ..." */
    TP_PARSE_NOMEM,
} tp_parse_result;

typedef struct tp_key tp_key;
struct tp_key {
    const char *name;
    const char *env_name;
    size_t offset;                  /* of the field in tp_config */
    size_t size;                    /* of the field */
    const char *default_text;       /* parsed as environment text at init */
    long min, max;                  /* integer keys */
    tp_parse_result (*parse)(const tp_key *key, const tp_value *v, void *out, tp_buf *why);
    void (*format)(const void *field, tp_buf *out);
    void (*release)(void *field);   /* NULL: nothing owned */
};

size_t tp_key_count(void);
const tp_key *tp_key_at(size_t i);
/* Index of the key called `name`, or -1. */
int tp_key_find(const char *name);
/* Parses `v` for key i and, if valid, replaces the field and its origin. */
tp_parse_result tp_key_apply(tp_config *cfg, size_t i, const tp_value *v,
                             tp_origin origin, tp_buf *why);

/* Frees every field that owns memory (lists, strings). */
void tp_config_release_fields(tp_config *cfg);

/* Appends `text` quoted and escaped, cut to a readable length. */
void tp_quote_for_message(tp_buf *out, const char *text);

/* Signals: "USR1", "SIGUSR2", "RTMIN+3", "none" (0). -1: not one we accept. */
int tp_signal_parse(const char *text);

/* Problems found while reading a file: one line each through report, the
 * first TP_CONFIG_MAX_REPORTS of them. */
typedef struct tp_reporter {
    tp_config_report_fn report;
    void *ctx;
    const char *file;           /* display name; NULL for the environment */
    int count;
} tp_reporter;

void tp_report(tp_reporter *r, int line, const char *key, const char *message);
/* One closing line if reports were suppressed. */
void tp_report_finish(tp_reporter *r);

/* Which tables of a file hold our keys. */
typedef enum tp_file_kind {
    TP_FILE_TRACEPATCH,     /* top level or [tracepatch] */
    TP_FILE_PYPROJECT,      /* [tool.tracepatch] */
} tp_file_kind;

/* Reads `path` (at most TP_CONFIG_MAX_FILE_BYTES, regular files only) into
 * *data (NUL-terminated). Returns 0, -1 with errno set, or -2 with *why set
 * to a static description. */
int tp_config_read_file(const char *path, char **data, size_t *len, const char **why);

/* Applies the text of one config file to cfg. Sets *has_table if the file
 * holds our table (always true for TP_FILE_TRACEPATCH). Returns -1 on OOM. */
int tp_config_apply_text(tp_config *cfg, const char *data, size_t len, tp_file_kind kind,
                         tp_reporter *rep, bool *has_table);

/* Applies the file `path` (relative: to cwd), named by the variable `via`
 * (for messages; NULL: named on a command line). Returns -1 on OOM. */
int tp_config_use_file(tp_config *cfg, const char *cwd, const char *path, const char *via,
                       tp_config_report_fn report, void *ctx);

/* Looks for tracepatch.toml, then pyproject.toml with our table, in cwd and
 * each parent; applies the first found. Returns -1 on OOM. */
int tp_config_search(tp_config *cfg, const char *cwd, tp_config_report_fn report, void *ctx);

/* Applies TRACEPATCH_<KEY> variables. Returns -1 on OOM. */
int tp_config_apply_env(tp_config *cfg, tp_getenv_fn getenv_fn, tp_reporter *rep);

#endif
