/* The test-harness tables of the config file, read for `tph setup`:
 *
 *   [[test.files]]                 path = "calc.py", functions = ["add"]
 *   [[test.inputs]]                function = "add", args = [1, 2], kwargs = {b = 3}
 *
 * (`[[tool.tracepatch.test.files]]` in pyproject.toml; `[[tracepatch.test.
 * files]]` is accepted in tracepatch.toml too). The main reader skips these
 * tables; this is a separate, small reader for them that also understands
 * TOML inline values: strings, integers, floats, booleans, arrays (over
 * several lines) and inline tables. Like the rest of the module it never
 * prints: each problem is one line `FILE:LINE: KEY: message` through the
 * callback, the entry it belongs to is dropped, and reading goes on. */
#ifndef TP_CONFIG_TEST_H
#define TP_CONFIG_TEST_H

#include <stddef.h>

#include "config.h"

typedef enum tp_tvalue_kind {
    TP_TV_STRING,       /* text: the decoded string */
    TP_TV_INTEGER,      /* text: as written, underscores dropped ("-12", "0x1f") */
    TP_TV_FLOAT,        /* text: as written, underscores dropped ("2.5", "inf", "-nan") */
    TP_TV_BOOL,         /* text: "true" or "false" */
    TP_TV_ARRAY,        /* items */
    TP_TV_TABLE,        /* keys and items, in file order */
} tp_tvalue_kind;

typedef struct tp_tvalue {
    tp_tvalue_kind kind;
    char *text;
    struct tp_tvalue *items;
    char **keys;                    /* TABLE: one per item */
    size_t n;
} tp_tvalue;

/* One [[test.files]] entry. */
typedef struct tp_test_file {
    char *path;                     /* as written: relative to the config file's directory */
    tp_strlist functions;
    int line;                       /* of its header */
} tp_test_file;

/* One [[test.inputs]] entry: one call. */
typedef struct tp_test_input {
    char *function;                 /* "name", or "PATH:name" for one file's function */
    tp_tvalue args;                 /* an ARRAY (empty when not given) */
    tp_tvalue kwargs;               /* a TABLE (empty when not given) */
    int line;
} tp_test_input;

typedef struct tp_test_tables {
    tp_test_file *files;
    size_t n_files;
    tp_test_input *inputs;
    size_t n_inputs;
} tp_test_tables;

/* Reads the test tables of the config file `path` (shown as `display` in
 * messages; `pyproject` selects the [tool.tracepatch...] names). Each
 * problem is one line through report. Returns 0, -1 when memory ran out,
 * or -2 when the file cannot be read (one line says why). */
int tp_config_load_test_tables(tp_test_tables *t, const char *path, const char *display,
                               bool pyproject, tp_config_report_fn report, void *ctx);

/* As above, from text already in memory (tests). */
int tp_config_test_tables_from_text(tp_test_tables *t, const char *data, size_t len,
                                    const char *display, bool pyproject,
                                    tp_config_report_fn report, void *ctx);

void tp_test_tables_free(tp_test_tables *t);
void tp_tvalue_free(tp_tvalue *v);

#endif
