/* The values of the test-table reader: TOML inline values, read into
 * tp_tvalue trees over the lexical layer of config_scan.c. Nesting is
 * bounded so that a hostile file cannot exhaust the stack. */
#include "config_test_scan.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_NESTING 32

static void out_of_memory(tp_scan *s)
{
    s->oom = true;
    tp_scan_fail(s, s->line, "out of memory");
}

/* ---- strings ---- */

static bool string_value(tp_scan *s, tp_tvalue *out)
{
    tp_buf text = TP_BUF_INIT;
    bool ok = tp_scan_string(s, &text);
    if (ok && !text.failed) {
        out->kind = TP_TV_STRING;
        out->text = strdup(tp_buf_cstr(&text));
    }
    if (ok && !out->text) {
        out_of_memory(s);
        ok = false;
    }
    tp_buf_free(&text);
    return ok;
}

/* ---- bare tokens: numbers and booleans ---- */

/* Digits of `digits` with single '_' between them; at least one digit. */
static bool digit_run(const char **p, const char *end, const char *digits)
{
    const char *s = *p;
    if (s >= end || !strchr(digits, *s) || !*s)
        return false;
    while (s < end && *s && strchr(digits, *s)) {
        s++;
        if (s < end && *s == '_' && s + 1 < end && s[1] && strchr(digits, s[1]))
            s++;
    }
    *p = s;
    return true;
}

static bool is_prefixed_integer(const char *t, const char *end)
{
    if (end - t < 3 || t[0] != '0')
        return false;
    const char *digits = t[1] == 'x' ? "0123456789abcdefABCDEF" : t[1] == 'o' ? "01234567"
                                                                  : t[1] == 'b' ? "01" : NULL;
    const char *p = t + 2;
    return digits && digit_run(&p, end, digits) && p == end;
}

/* TP_TV_INTEGER, TP_TV_FLOAT, or -1 for anything else. */
static int number_kind(const char *t, const char *end)
{
    if (is_prefixed_integer(t, end))
        return TP_TV_INTEGER;
    const char *p = t + (t < end && (*t == '+' || *t == '-'));
    if ((end - p == 3) && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0))
        return TP_TV_FLOAT;
    const char *int_start = p;
    if (!digit_run(&p, end, "0123456789"))
        return -1;
    if (*int_start == '0' && p - int_start > 1)
        return -1;  /* leading zeros */
    bool is_float = false;
    if (p < end && *p == '.') {
        p++;
        if (!digit_run(&p, end, "0123456789"))
            return -1;
        is_float = true;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        p += p < end && (*p == '+' || *p == '-');
        if (!digit_run(&p, end, "0123456789"))
            return -1;
        is_float = true;
    }
    return p != end ? -1 : is_float ? TP_TV_FLOAT : TP_TV_INTEGER;
}

static bool is_token_end(char c)
{
    return tp_scan_is_blank(c) || c == '\n' || c == '#' || c == ',' || c == ']' || c == '}';
}

static bool bare_value(tp_scan *s, tp_tvalue *out)
{
    const char *start = s->p;
    while (s->p < s->end && !is_token_end(*s->p))
        s->p++;
    size_t n = (size_t)(s->p - start);
    int kind = -1;
    if ((n == 4 && memcmp(start, "true", 4) == 0) || (n == 5 && memcmp(start, "false", 5) == 0))
        kind = TP_TV_BOOL;
    else if (n > 0)
        kind = number_kind(start, s->p);
    if (kind < 0) {
        tp_scan_fail(s, s->line, n ? "expected a string, number, boolean, array or inline "
                                      "table, got `%.*s`" : "expected a value%.*s",
                      (int)(n > 40 ? 40 : n), start);
        return false;
    }
    out->kind = (tp_tvalue_kind)kind;
    if (!(out->text = malloc(n + 1))) {
        out_of_memory(s);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (start[i] != '_')
            out->text[k++] = start[i];
    out->text[k] = '\0';
    return true;
}

/* ---- arrays and inline tables ---- */

/* Past the last line of a container that was never closed: at its end or,
 * after a newline, at what looks like the next statement. */
static bool container_unclosed(tp_scan *s)
{
    bool crossed = tp_scan_skip_space_and_lines(s);
    return s->p >= s->end || (crossed && tp_scan_at_statement(s));
}

static bool read_nested(tp_scan *s, tp_tvalue *out, int depth);

/* Room for one more item (and key) in a container. */
static tp_tvalue *grow(tp_scan *s, tp_tvalue *v)
{
    tp_tvalue *items = realloc(v->items, (v->n + 1) * sizeof *items);
    if (items)
        v->items = items;
    if (items && v->kind == TP_TV_TABLE) {
        char **keys = realloc(v->keys, (v->n + 1) * sizeof *keys);
        if (keys)
            v->keys = keys;
        items = keys ? items : NULL;
    }
    if (!items) {
        out_of_memory(s);
        return NULL;
    }
    memset(&v->items[v->n], 0, sizeof v->items[v->n]);
    if (v->kind == TP_TV_TABLE)
        v->keys[v->n] = NULL;
    return &v->items[v->n];
}

static bool read_array(tp_scan *s, tp_tvalue *out, int depth)
{
    int start_line = s->line;
    out->kind = TP_TV_ARRAY;
    s->p++;
    for (;;) {
        if (container_unclosed(s)) {
            tp_scan_fail(s, start_line, "unterminated array (no closing `]`)");
            return false;
        }
        if (*s->p == ']') {
            s->p++;
            return true;
        }
        /* Counted before it is read, so a failure frees what it holds. */
        tp_tvalue *item = grow(s, out);
        if (!item)
            return false;
        out->n++;
        if (!read_nested(s, item, depth + 1))
            return false;
        if (container_unclosed(s)) {
            tp_scan_fail(s, start_line, "unterminated array (no closing `]`)");
            return false;
        }
        if (*s->p == ',')
            s->p++;
        else if (*s->p != ']') {
            tp_scan_fail(s, s->line, "expected `,` or `]` after an array element");
            return false;
        }
    }
}

/* A key in an inline table: bare, or a one-line string. */
static char *read_table_key(tp_scan *s)
{
    tp_buf key = TP_BUF_INIT;
    if (s->p < s->end && (*s->p == '"' || *s->p == '\'')) {
        if (!tp_scan_string(s, &key)) {
            tp_buf_free(&key);
            return NULL;
        }
    } else {
        const char *start = s->p;
        size_t n = tp_scan_bare_key(s, false);
        if (n == 0) {
            tp_scan_fail(s, s->line, "expected a key in the inline table");
            return NULL;
        }
        tp_buf_append(&key, start, n);
    }
    char *copy = key.failed ? NULL : strdup(tp_buf_cstr(&key));
    tp_buf_free(&key);
    if (!copy)
        out_of_memory(s);
    return copy;
}

static bool key_is_new(tp_scan *s, const tp_tvalue *table, const char *key)
{
    for (size_t i = 0; i < table->n; i++)
        if (strcmp(table->keys[i], key) == 0) {
            tp_scan_fail(s, s->line, "duplicate key `%.60s` in an inline table", key);
            return false;
        }
    return true;
}

/* `key = value` inside braces; the key is stored before the value is read,
 * so everything is freed with the table on failure. */
static bool read_table_pair(tp_scan *s, tp_tvalue *table, int depth)
{
    char *key = read_table_key(s);
    if (!key)
        return false;
    if (!key_is_new(s, table, key)) {
        free(key);
        return false;
    }
    tp_tvalue *item = grow(s, table);
    if (!item) {
        free(key);
        return false;
    }
    table->keys[table->n] = key;
    table->n++;
    tp_scan_skip_blanks(s);
    if (s->p < s->end && *s->p == '.') {
        tp_scan_fail(s, s->line, "dotted keys are not supported");
        return false;
    }
    if (s->p >= s->end || *s->p != '=') {
        tp_scan_fail(s, s->line, "expected `=` after `%.60s`", key);
        return false;
    }
    s->p++;
    tp_scan_skip_space_and_lines(s);
    return read_nested(s, item, depth + 1);
}

static bool read_table(tp_scan *s, tp_tvalue *out, int depth)
{
    int start_line = s->line;
    out->kind = TP_TV_TABLE;
    s->p++;
    for (;;) {
        if (container_unclosed(s)) {
            tp_scan_fail(s, start_line, "unterminated inline table (no closing `}`)");
            return false;
        }
        if (*s->p == '}') {
            s->p++;
            return true;
        }
        if (!read_table_pair(s, out, depth))
            return false;
        if (container_unclosed(s)) {
            tp_scan_fail(s, start_line, "unterminated inline table (no closing `}`)");
            return false;
        }
        if (*s->p == ',')
            s->p++;
        else if (*s->p != '}') {
            tp_scan_fail(s, s->line, "expected `,` or `}` after a value in an inline table");
            return false;
        }
    }
}

static bool read_nested(tp_scan *s, tp_tvalue *out, int depth)
{
    if (depth > MAX_NESTING) {
        tp_scan_fail(s, s->line, "values nested deeper than %d levels", MAX_NESTING);
        return false;
    }
    if (s->p >= s->end || *s->p == '\n' || *s->p == '#') {
        tp_scan_fail(s, s->line, "missing value");
        return false;
    }
    if (*s->p == '"' || *s->p == '\'')
        return string_value(s, out);
    if (*s->p == '[')
        return read_array(s, out, depth);
    if (*s->p == '{')
        return read_table(s, out, depth);
    return bare_value(s, out);
}

bool tp_tscan_value(tp_scan *s, tp_tvalue *out)
{
    memset(out, 0, sizeof *out);
    if (read_nested(s, out, 0))
        return true;
    tp_tvalue_free(out);
    return false;
}

void tp_tvalue_free(tp_tvalue *v)
{
    for (size_t i = 0; i < v->n; i++) {
        tp_tvalue_free(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->text);
    memset(v, 0, sizeof *v);
}
