/* Reading the test-harness tables ([[test.files]], [[test.inputs]]) of a
 * config file: which tables are ours, their keys, and each entry checked
 * as a whole when the next header (or the end) closes it. Values come from
 * config_test_scan.c, over the lexical layer of config_scan.c. */
#include "config_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "config_test_scan.h"

typedef enum section { SEC_OTHER, SEC_FILES, SEC_INPUTS } section;

/* The keys of our two tables, and where each was last set in the entry. */
enum { K_PATH, K_FUNCTIONS, K_FUNCTION, K_ARGS, K_KWARGS, K_COUNT };
static const struct {
    const char *name;
    section where;
    const char *full;   /* for messages */
} keys[K_COUNT] = {
    {"path", SEC_FILES, "test.files.path"},
    {"functions", SEC_FILES, "test.files.functions"},
    {"function", SEC_INPUTS, "test.inputs.function"},
    {"args", SEC_INPUTS, "test.inputs.args"},
    {"kwargs", SEC_INPUTS, "test.inputs.kwargs"},
};

typedef struct treader {
    tp_scan s;
    tp_reporter *rep;
    bool pyproject;
    tp_test_tables *t;
    section sec;
    int sec_line;
    bool entry_bad;                 /* a value of this entry was rejected */
    int seen[K_COUNT];              /* line each key was set on, 0: not set */
    tp_tvalue value[K_COUNT];       /* the entry's values so far */
} treader;

/* ---- values of the entry ---- */

static void clear_entry(treader *r)
{
    for (int k = 0; k < K_COUNT; k++) {
        tp_tvalue_free(&r->value[k]);
        r->seen[k] = 0;
    }
    r->entry_bad = false;
}

static void describe(tp_buf *b, const tp_tvalue *v)
{
    if (v->kind == TP_TV_ARRAY)
        tp_buf_puts(b, "an array");
    else if (v->kind == TP_TV_TABLE)
        tp_buf_puts(b, "an inline table");
    else if (v->kind == TP_TV_STRING)
        tp_buf_puts(b, "the string "), tp_quote_for_message(b, v->text);
    else
        tp_buf_puts(b, v->text);
}

static bool is_string_array(const tp_tvalue *v)
{
    if (v->kind != TP_TV_ARRAY)
        return false;
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i].kind != TP_TV_STRING || v->items[i].text[0] == '\0')
            return false;
    return true;
}

/* NULL if `v` suits key k, else what was expected. */
static const char *type_problem(int k, const tp_tvalue *v)
{
    switch (k) {
    case K_PATH:
    case K_FUNCTION:
        return v->kind == TP_TV_STRING && v->text[0] ? NULL : "a non-empty string";
    case K_FUNCTIONS:
        return is_string_array(v) && v->n > 0 ? NULL : "a non-empty array of function names";
    case K_ARGS:
        return v->kind == TP_TV_ARRAY ? NULL : "an array (the positional arguments)";
    default:
        return v->kind == TP_TV_TABLE ? NULL : "an inline table (the keyword arguments)";
    }
}

static void report_at(treader *r, int line, const char *key, const char *message)
{
    tp_report(r->rep, line, key, message);
}

static void set_key(treader *r, int k, tp_tvalue *v, int line)
{
    const char *expected = type_problem(k, v);
    if (expected) {
        tp_buf why = TP_BUF_INIT;
        tp_buf_printf(&why, "expected %s, got ", expected);
        describe(&why, v);
        report_at(r, line, keys[k].full, tp_buf_cstr(&why));
        tp_buf_free(&why);
        tp_tvalue_free(v);
        r->entry_bad = true;
        return;
    }
    if (r->seen[k]) {
        char msg[96];
        snprintf(msg, sizeof msg, "duplicate key (also set on line %d); the last one wins",
                 r->seen[k]);
        report_at(r, line, keys[k].full, msg);
    }
    tp_tvalue_free(&r->value[k]);
    r->value[k] = *v;
    r->seen[k] = line;
}

/* ---- closing an entry ---- */

static char *take_text(tp_tvalue *v)
{
    char *text = v->text;
    v->text = NULL;
    return text;
}

static int push_file(treader *r)
{
    tp_test_tables *t = r->t;
    tp_test_file *files = realloc(t->files, (t->n_files + 1) * sizeof *files);
    tp_tvalue *fv = &r->value[K_FUNCTIONS];
    char **names = calloc(fv->n, sizeof *names);
    if (files)
        t->files = files;
    if (!files || !names) {
        free(names);
        return -1;
    }
    for (size_t i = 0; i < fv->n; i++)
        names[i] = take_text(&fv->items[i]);
    files[t->n_files++] = (tp_test_file){take_text(&r->value[K_PATH]), {names, fv->n},
                                         r->sec_line};
    return 0;
}

static int push_input(treader *r)
{
    tp_test_tables *t = r->t;
    tp_test_input *inputs = realloc(t->inputs, (t->n_inputs + 1) * sizeof *inputs);
    if (!inputs)
        return -1;
    t->inputs = inputs;
    tp_test_input *in = &inputs[t->n_inputs++];
    memset(in, 0, sizeof *in);
    in->function = take_text(&r->value[K_FUNCTION]);
    in->line = r->sec_line;
    in->args = r->value[K_ARGS];
    in->kwargs = r->value[K_KWARGS];
    if (!r->seen[K_ARGS])
        in->args.kind = TP_TV_ARRAY;
    if (!r->seen[K_KWARGS])
        in->kwargs.kind = TP_TV_TABLE;
    memset(&r->value[K_ARGS], 0, sizeof r->value[K_ARGS]);
    memset(&r->value[K_KWARGS], 0, sizeof r->value[K_KWARGS]);
    return 0;
}

static bool require(treader *r, int k, const char *table, const char *what)
{
    if (r->seen[k])
        return true;
    char msg[160];
    snprintf(msg, sizeof msg, "missing `%s` (%s)", keys[k].name, what);
    report_at(r, r->sec_line, table, msg);
    return false;
}

/* Checks the entry just closed and keeps it; -1 on OOM. */
static int close_entry(treader *r)
{
    int rc = 0;
    if (r->sec == SEC_FILES && !r->entry_bad) {
        bool ok = require(r, K_PATH, "test.files", "the Python file, relative to the config file");
        ok = require(r, K_FUNCTIONS, "test.files", "an array of function names") && ok;
        if (ok)
            rc = push_file(r);
    } else if (r->sec == SEC_INPUTS && !r->entry_bad) {
        if (require(r, K_FUNCTION, "test.inputs", "the name of the function to call"))
            rc = push_input(r);
    }
    clear_entry(r);
    return rc;
}

/* ---- statements ---- */

static section section_named(treader *r, const char *name, bool is_array)
{
    const char *prefix = r->pyproject ? "tool.tracepatch." : "";
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return SEC_OTHER;
    name += n;
    if (!r->pyproject && strncmp(name, "tracepatch.", 11) == 0)
        name += 11;
    section sec = strcmp(name, "test.files") == 0 ? SEC_FILES
                : strcmp(name, "test.inputs") == 0 ? SEC_INPUTS : SEC_OTHER;
    if (sec != SEC_OTHER && !is_array) {
        report_at(r, r->s.line, NULL, "use [[...]] (an array of tables) for test.files "
                  "and test.inputs; this table is ignored");
        return SEC_OTHER;
    }
    return sec;
}

/* `[name]` or `[[name]]` with blanks dropped; false if malformed. */
static bool read_header_name(tp_scan *s, char *name, size_t size, bool *is_array)
{
    size_t n = 0;
    s->p++;
    *is_array = s->p < s->end && *s->p == '[';
    s->p += *is_array;
    while (s->p < s->end && *s->p != ']' && *s->p != '\n') {
        char c = *s->p++;
        if (c == '"' || c == '\'')
            c = '"';    /* quoted parts never name our tables */
        if (!tp_scan_is_blank(c) && n + 1 < size)
            name[n++] = c;
    }
    name[n] = '\0';
    for (int i = 0; i < 1 + *is_array; i++) {
        if (s->p >= s->end || *s->p != ']')
            return false;
        s->p++;
    }
    tp_scan_skip_blanks(s);
    return n > 0 && tp_scan_at_line_end(s);
}

static int read_header(treader *r)
{
    if (close_entry(r) != 0)
        return -1;
    char name[128];
    bool is_array;
    /* A malformed header is the main reader's to report. */
    bool ok = read_header_name(&r->s, name, sizeof name, &is_array);
    r->sec = ok ? section_named(r, name, is_array) : SEC_OTHER;
    r->sec_line = r->s.line;
    tp_scan_finish_line(&r->s);
    return 0;
}

static int key_index(const treader *r, const char *name)
{
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].where == r->sec && strcmp(keys[k].name, name) == 0)
            return k;
    return -1;
}

/* The bare key at p, into key[]; false (error set) if none or too long. */
static bool read_key(tp_scan *s, char *key, size_t size)
{
    const char *start = s->p;
    size_t n = tp_scan_bare_key(s, false);
    if (n == 0 || n >= size) {
        tp_scan_fail(s, s->line, n ? "key too long" : "expected `key = value`");
        return false;
    }
    memcpy(key, start, n);
    key[n] = '\0';
    if (s->p < s->end && *s->p == '.') {
        tp_scan_fail(s, s->line, "dotted keys are not supported");
        return false;
    }
    tp_scan_skip_blanks(s);
    if (s->p >= s->end || *s->p != '=') {
        tp_scan_fail(s, s->line, "expected `=` after the key");
        return false;
    }
    s->p++;
    tp_scan_skip_blanks(s);
    return true;
}

/* Reads `key = value` into the entry; after a problem, skips the rest. */
static void read_key_value(treader *r)
{
    tp_scan *s = &r->s;
    int line = s->line;
    char key[64] = "";
    tp_tvalue v;
    bool ok = read_key(s, key, sizeof key);
    const char *value_start = s->p;
    int value_line = s->line;
    ok = ok && tp_tscan_value(s, &v);
    if (ok) {
        tp_scan_skip_blanks(s);
        if (!tp_scan_at_line_end(s)) {
            tp_scan_fail(s, s->line, "unexpected text after the value");
            tp_tvalue_free(&v);
            ok = false;
        }
    }
    int k = key[0] ? key_index(r, key) : -1;
    const char *full = k >= 0 ? keys[k].full : r->sec == SEC_FILES ? "test.files" : "test.inputs";
    if (ok && k < 0) {
        tp_report(r->rep, line, full, "unknown key (expected path and functions in "
                  "[[test.files]], function, args and kwargs in [[test.inputs]])");
        tp_tvalue_free(&v);
    } else if (ok) {
        set_key(r, k, &v, line);
    }
    if (!ok && !s->oom) {
        tp_report(r->rep, s->error_line, full, s->error);
        r->entry_bad = true;
        s->p = value_start;
        s->line = value_line;
        if (tp_scan_skip_value(s, true))
            return;
    }
    tp_scan_finish_line(s);
}

/* Skips a statement of a table that is not ours. */
static void skip_statement(tp_scan *s)
{
    while (!tp_scan_at_line_end(s) && *s->p != '=')
        s->p++;
    if (s->p < s->end && *s->p == '=') {
        s->p++;
        if (tp_scan_skip_value(s, true))
            return;
    }
    tp_scan_finish_line(s);
}

static int read_statement(treader *r)
{
    tp_scan *s = &r->s;
    s->error = NULL;
    tp_scan_skip_blanks(s);
    if (tp_scan_at_line_end(s))
        tp_scan_finish_line(s);
    else if (*s->p == '[')
        return read_header(r);
    else if (r->sec == SEC_OTHER)
        skip_statement(s);
    else
        read_key_value(r);
    return s->oom ? -1 : 0;
}

/* ---- whole files ---- */

int tp_config_test_tables_from_text(tp_test_tables *t, const char *data, size_t len,
                                    const char *display, bool pyproject,
                                    tp_config_report_fn report, void *ctx)
{
    memset(t, 0, sizeof *t);
    tp_reporter rep = {report, ctx, display, 0};
    if (tp_scan_first_bad_byte(data, len, NULL) != len) {
        tp_report(&rep, 0, NULL, "not UTF-8 text; test tables not read");
        return 0;
    }
    treader r = {.rep = &rep, .pyproject = pyproject, .t = t};
    tp_scan_init(&r.s, data, len);
    int rc = 0;
    while (rc == 0 && r.s.p < r.s.end)
        rc = read_statement(&r);
    if (rc == 0)
        rc = close_entry(&r);
    clear_entry(&r);
    tp_report_finish(&rep);
    return rc;
}

int tp_config_load_test_tables(tp_test_tables *t, const char *path, const char *display,
                               bool pyproject, tp_config_report_fn report, void *ctx)
{
    memset(t, 0, sizeof *t);
    char *data = NULL;
    size_t len = 0;
    const char *why = NULL;
    int rc = tp_config_read_file(path, &data, &len, &why);
    if (rc != 0) {
        if (rc == -1 && errno == ENOMEM)
            return -1;
        tp_reporter rep = {report, ctx, display, 0};
        tp_report(&rep, 0, NULL, rc == -1 ? strerror(errno) : why);
        return -2;
    }
    rc = tp_config_test_tables_from_text(t, data, len, display, pyproject, report, ctx);
    free(data);
    return rc;
}

void tp_test_tables_free(tp_test_tables *t)
{
    for (size_t i = 0; i < t->n_files; i++) {
        free(t->files[i].path);
        for (size_t j = 0; j < t->files[i].functions.n; j++)
            free(t->files[i].functions.items[j]);
        free(t->files[i].functions.items);
    }
    for (size_t i = 0; i < t->n_inputs; i++) {
        free(t->inputs[i].function);
        tp_tvalue_free(&t->inputs[i].args);
        tp_tvalue_free(&t->inputs[i].kwargs);
    }
    free(t->files);
    free(t->inputs);
    memset(t, 0, sizeof *t);
}
