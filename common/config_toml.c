#include "config_toml.h"

#include <string.h>

void tp_toml_reader_init(tp_toml_reader *r, const char *data, size_t len,
                         tp_file_kind kind, tp_reporter *rep)
{
    memset(r, 0, sizeof *r);
    tp_scan_init(&r->s, data, len);
    /* \u0000 is refused here (the test tables take it): this reader's
     * values end up as C strings, which a NUL would cut short. */
    r->s.refuse_nul_escape = true;
    r->s.escape_hint = " (accepted: \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX \\UXXXXXXXX)";
    r->kind = kind;
    r->relevant = kind == TP_FILE_TRACEPATCH;
    r->rep = rep;
    r->max_line = 196;
}

void tp_toml_reader_free(tp_toml_reader *r)
{
    tp_buf_free(&r->out);
}

/* ---- skipping what is not ours ---- */

/* Skips any value, leaving p at the newline that ends it. This reader
 * never stops early at what looks like a statement: an unclosed array in a
 * table that is not ours runs on to its `]`. */
static void skip_any_value(tp_toml_reader *r)
{
    /* Without stopping early it has nothing to say: always false. */
    (void)tp_scan_skip_value(&r->s, false);
}

/* A `key = value` line in a table that is not ours: skip it, say nothing. */
static void skip_foreign_statement(tp_toml_reader *r)
{
    while (!tp_scan_at_line_end(&r->s) && *r->s.p != '=') {
        if (*r->s.p == '"' || *r->s.p == '\'')
            tp_scan_skip_string(&r->s);
        else
            r->s.p++;
    }
    if (r->s.p < r->s.end && *r->s.p == '=') {
        r->s.p++;
        skip_any_value(r);
    }
    tp_scan_finish_line(&r->s);
}

/* ---- output for inih ---- */

static bool needs_escape(unsigned char c)
{
    return c <= ' ' || c == 0x7f || c == '%' || c == ';' || c == '#';
}

static void emit_line(tp_toml_reader *r, const char *tag_and_payload)
{
    tp_buf_printf(&r->out, "%s=%s\n", r->key, tag_and_payload);
}

/* Emits `tag` + the encoded bytes, split over "+" lines to fit inih. */
static void emit_item(tp_toml_reader *r, char tag, const char *s, size_t n)
{
    size_t room = r->max_line - strlen(r->key) - 2;
    size_t used = 0;
    tp_buf_printf(&r->out, "%s=%c", r->key, tag);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t width = needs_escape(c) ? 3 : 1;
        if (used + width > room) {
            tp_buf_printf(&r->out, "\n%s=+", r->key);
            used = 0;
        }
        if (width == 3)
            tp_buf_printf(&r->out, "%%%02X", c);
        else
            tp_buf_putc(&r->out, (char)c);
        used += width;
    }
    tp_buf_putc(&r->out, '\n');
}

void tp_toml_decode_payload(const char *payload, tp_buf *out)
{
    for (const char *s = payload; *s; s++) {
        int hi = *s == '%' ? tp_scan_hex_digit(s[1]) : -1;
        int lo = hi >= 0 ? tp_scan_hex_digit(s[2]) : -1;
        if (lo >= 0) {
            tp_buf_putc(out, (char)(hi * 16 + lo));
            s += 2;
        } else {
            tp_buf_putc(out, *s);
        }
    }
}

/* ---- values ---- */

static bool at_unsupported(tp_toml_reader *r)
{
    if (tp_scan_starts_with(&r->s, "\"\"\"") || tp_scan_starts_with(&r->s, "'''")) {
        tp_scan_fail(&r->s, r->s.line, "multi-line strings are not supported");
        return true;
    }
    if (*r->s.p == '{') {
        tp_scan_fail(&r->s, r->s.line, "inline tables are not supported");
        return true;
    }
    return false;
}

static bool is_token_end(char c)
{
    return tp_scan_is_blank(c) || c == '\n' || c == '#' || c == ',' || c == ']';
}

/* One scalar: a string or a bare token. */
static bool read_scalar(tp_toml_reader *r)
{
    if (*r->s.p == '"' || *r->s.p == '\'') {
        tp_buf text = TP_BUF_INIT;
        bool ok = tp_scan_string(&r->s, &text);
        if (ok)
            emit_item(r, 's', text.data ? text.data : "", text.len);
        if (text.failed)
            r->oom = true;
        tp_buf_free(&text);
        return ok;
    }
    const char *start = r->s.p;
    while (r->s.p < r->s.end && !is_token_end(*r->s.p))
        r->s.p++;
    if (r->s.p == start) {
        tp_scan_fail(&r->s, r->s.line, "expected a value");
        return false;
    }
    emit_item(r, 'v', start, (size_t)(r->s.p - start));
    return true;
}

/* Skips the rest of a bad array element, up to `,`, `]` or the line end. */
static void skip_element(tp_toml_reader *r)
{
    tp_scan *s = &r->s;
    while (!tp_scan_at_line_end(s) && *s->p != ',' && *s->p != ']') {
        if (*s->p == '"' || *s->p == '\'')
            tp_scan_skip_string(s);
        else
            s->p++;
    }
}

/* false when a nested array left unterminated ran into the next
 * statement, where p now is. */
static bool read_array_element(tp_toml_reader *r)
{
    if (*r->s.p == '[') {
        tp_scan_fail(&r->s, r->s.line, "nested arrays are not supported");
        if (tp_scan_skip_bracketed(&r->s))
            return false;
    } else if (!at_unsupported(r) && read_scalar(r)) {
        return true;
    }
    skip_element(r);
    return true;
}

/* An array, over as many lines as it takes; p is at '['. */
static bool read_array(tp_toml_reader *r)
{
    int start_line = r->s.line;
    bool want_element = true;   /* after `[` or `,` */
    r->s.p++;
    emit_line(r, "[");
    for (;;) {
        bool new_line = tp_scan_skip_space_and_lines(&r->s);
        if (r->s.p >= r->s.end || (new_line && tp_scan_at_statement(&r->s))) {
            tp_scan_fail(&r->s, start_line, "unterminated array (no closing `]`)");
            r->resume_here = true;
            return false;
        }
        if (*r->s.p == ']') {
            r->s.p++;
            return r->s.error == NULL;
        }
        if (*r->s.p == ',') {
            if (want_element)
                tp_scan_fail(&r->s, r->s.line, "expected an array element before `,`");
            r->s.p++;
            want_element = true;
            continue;
        }
        if (!want_element)
            tp_scan_fail(&r->s, r->s.line, "expected `,` or `]` after an array element");
        if (!read_array_element(r)) {
            tp_scan_fail(&r->s, start_line, "unterminated array (no closing `]`)");
            r->resume_here = true;
            return false;
        }
        want_element = false;
    }
}

static bool read_value(tp_toml_reader *r)
{
    bool ok;
    if (at_unsupported(r)) {
        skip_any_value(r);
        return false;
    }
    if (*r->s.p == '[')
        ok = read_array(r);
    else
        ok = read_scalar(r);
    if (ok)
        emit_line(r, ".");
    return ok;
}

/* ---- statements ---- */

static void report_statement_error(tp_toml_reader *r)
{
    tp_report(r->rep, r->s.error_line, r->key[0] ? r->key : NULL, r->s.error);
}

/* Normalises a table name into `name` (blanks dropped); false if malformed. */
static bool read_table_name(tp_toml_reader *r, char *name, size_t size, bool *is_array)
{
    size_t n = 0;
    r->s.p++;
    *is_array = r->s.p < r->s.end && *r->s.p == '[';
    if (*is_array)
        r->s.p++;
    while (r->s.p < r->s.end && *r->s.p != ']' && *r->s.p != '\n') {
        if (*r->s.p == '"' || *r->s.p == '\'') {
            /* Quoted parts never name our table; keep a marker. */
            tp_scan_skip_string(&r->s);
            if (n + 1 < size)
                name[n++] = '"';
            continue;
        }
        if (!tp_scan_is_blank(*r->s.p) && n + 1 < size)
            name[n++] = *r->s.p;
        r->s.p++;
    }
    name[n] = '\0';
    if (r->s.p >= r->s.end || *r->s.p != ']' || n == 0)
        return false;
    r->s.p++;
    if (*is_array) {
        if (r->s.p >= r->s.end || *r->s.p != ']')
            return false;
        r->s.p++;
    }
    tp_scan_skip_blanks(&r->s);
    return tp_scan_at_line_end(&r->s);
}

static void read_table_header(tp_toml_reader *r)
{
    char name[128];
    bool is_array;
    bool ok = read_table_name(r, name, sizeof name, &is_array);
    const char *ours = r->kind == TP_FILE_PYPROJECT ? "tool.tracepatch" : "tracepatch";
    /* A malformed header leaves the current table as it was. */
    if (ok)
        r->relevant = !is_array && strcmp(name, ours) == 0;
    /* A table below ours (`[[tool.tracepatch.test.files]]`) defines ours
     * too, as TOML has it, though its keys are not ours to read. */
    size_t n = strlen(ours);
    if (ok && (r->relevant || (strncmp(name, ours, n) == 0 && name[n] == '.')))
        r->has_table = true;
    if (!ok && r->kind == TP_FILE_TRACEPATCH)
        tp_report(r->rep, r->s.line, NULL, "malformed table header");
    tp_buf_puts(&r->out, r->relevant ? "[tracepatch]\n" : "[other]\n");
    tp_scan_finish_line(&r->s);
}

static bool read_key(tp_toml_reader *r)
{
    const char *start = r->s.p;
    /* A dotted key is read whole: it names no key of ours, and is reported
     * as the unknown key it is. */
    size_t n = tp_scan_bare_key(&r->s, true);
    if (n == 0) {
        tp_scan_fail(&r->s, r->s.line, *start == '"' || *start == '\''
                    ? "quoted keys are not supported"
                    : "expected `key = value`");
        return false;
    }
    if (n > TP_TOML_MAX_KEY) {
        tp_scan_fail(&r->s, r->s.line, "key too long");
        return false;
    }
    memcpy(r->key, start, n);
    r->key[n] = '\0';
    return true;
}

static void read_key_value(tp_toml_reader *r)
{
    size_t out_mark = r->out.len;
    bool ok = read_key(r);
    if (ok) {
        tp_scan_skip_blanks(&r->s);
        if (r->s.p >= r->s.end || *r->s.p != '=')
            tp_scan_fail(&r->s, r->s.line, "expected `=` after the key");
        else {
            r->s.p++;
            tp_scan_skip_blanks(&r->s);
            if (tp_scan_at_line_end(&r->s))
                tp_scan_fail(&r->s, r->s.line, "missing value");
            else if (read_value(r)) {
                tp_scan_skip_blanks(&r->s);
                if (!tp_scan_at_line_end(&r->s))
                    tp_scan_fail(&r->s, r->s.line, "unexpected text after the value");
            }
        }
    }
    if (r->s.error) {
        r->out.len = out_mark;
        report_statement_error(r);
        if (!ok)
            skip_foreign_statement(r);
        else if (!r->resume_here)
            tp_scan_finish_line(&r->s);
        return;
    }
    tp_scan_finish_line(&r->s);
}

static void read_statement(tp_toml_reader *r)
{
    r->s.error = NULL;
    r->resume_here = false;
    r->key[0] = '\0';
    tp_scan_skip_blanks(&r->s);
    if (tp_scan_at_line_end(&r->s)) {
        tp_scan_finish_line(&r->s);
        return;
    }
    r->stmt_line = r->s.line;
    if (*r->s.p == '[')
        read_table_header(r);
    else if (r->relevant)
        read_key_value(r);
    else
        skip_foreign_statement(r);
}

/* Hands inih the next pending line. */
static char *hand_out_line(tp_toml_reader *r, char *str)
{
    const char *line = r->out.data + r->out_pos;
    const char *nl = memchr(line, '\n', r->out.len - r->out_pos);
    size_t n = nl ? (size_t)(nl - line) + 1 : r->out.len - r->out_pos;
    memcpy(str, line, n);
    str[n] = '\0';
    r->out_pos += n;
    return str;
}

char *tp_toml_read_line(char *str, int num, void *stream)
{
    tp_toml_reader *r = stream;
    if (num < TP_TOML_MAX_KEY + 16 || r->oom)
        return NULL;
    r->max_line = (size_t)num - 3;
    while (r->out_pos >= r->out.len) {
        tp_buf_reset(&r->out);
        r->out_pos = 0;
        if (r->s.p >= r->s.end)
            return NULL;
        read_statement(r);
        if (r->out.failed) {
            r->oom = true;
            return NULL;
        }
    }
    return hand_out_line(r, str);
}
