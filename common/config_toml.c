#include "config_toml.h"

#include <string.h>

void tp_toml_reader_init(tp_toml_reader *r, const char *data, size_t len,
                         tp_file_kind kind, tp_reporter *rep)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->line = 1;
    r->kind = kind;
    r->relevant = kind == TP_FILE_TRACEPATCH;
    r->rep = rep;
    r->max_line = 196;
}

void tp_toml_reader_free(tp_toml_reader *r)
{
    tp_buf_free(&r->out);
}

/* ---- characters and lines ---- */

static bool is_blank(char c)
{
    /* '\r' counts as blank so that CRLF files read like LF files. */
    return c == ' ' || c == '\t' || c == '\r';
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static void skip_blanks(tp_toml_reader *r)
{
    while (r->p < r->end && is_blank(*r->p))
        r->p++;
}

static bool at_line_end(const tp_toml_reader *r)
{
    return r->p >= r->end || *r->p == '\n' || *r->p == '#';
}

/* Consumes the rest of the line, comment included, and its newline. */
static void finish_line(tp_toml_reader *r)
{
    while (r->p < r->end && *r->p != '\n')
        r->p++;
    if (r->p < r->end) {
        r->p++;
        r->line++;
    }
}

/* Skips blanks, comments and newlines; true if a newline was crossed. */
static bool skip_space_and_lines(tp_toml_reader *r)
{
    bool crossed = false;
    for (;;) {
        skip_blanks(r);
        if (r->p < r->end && *r->p == '#') {
            while (r->p < r->end && *r->p != '\n')
                r->p++;
        }
        if (r->p >= r->end || *r->p != '\n')
            return crossed;
        r->p++;
        r->line++;
        crossed = true;
    }
}

static void fail(tp_toml_reader *r, const char *message, int line)
{
    if (r->error)
        return;
    r->error = message;
    r->error_line = line;
}

/* ---- skipping what is not ours ---- */

static bool starts_with(const tp_toml_reader *r, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(r->end - r->p) >= n && memcmp(r->p, s, n) == 0;
}

/* Skips a string of any TOML form; stops before a newline that ends a
 * one-line string early. */
static void skip_any_string(tp_toml_reader *r)
{
    char quote = *r->p;
    bool triple = starts_with(r, quote == '"' ? "\"\"\"" : "'''");
    r->p += triple ? 3 : 1;
    while (r->p < r->end) {
        char c = *r->p;
        if (c == '\\' && quote == '"' && r->p + 1 < r->end && r->p[1] != '\n') {
            r->p += 2;
            continue;
        }
        if (c == '\n') {
            if (!triple)
                return;
            r->line++;
        } else if (c == quote && (!triple || starts_with(r, quote == '"' ? "\"\"\"" : "'''"))) {
            r->p += triple ? 3 : 1;
            return;
        }
        r->p++;
    }
}

/* Skips any TOML value (nested arrays, inline tables, multi-line strings),
 * leaving p at the newline that ends it. */
static void skip_any_value(tp_toml_reader *r)
{
    int depth = 0;
    while (r->p < r->end) {
        char c = *r->p;
        if (c == '"' || c == '\'') {
            skip_any_string(r);
            continue;
        }
        if (c == '#') {
            while (r->p < r->end && *r->p != '\n')
                r->p++;
            continue;
        }
        if (c == '\n') {
            if (depth == 0)
                return;
            r->line++;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
        r->p++;
    }
}

/* A `key = value` line in a table that is not ours: skip it, say nothing. */
static void skip_foreign_statement(tp_toml_reader *r)
{
    while (!at_line_end(r) && *r->p != '=') {
        if (*r->p == '"' || *r->p == '\'')
            skip_any_string(r);
        else
            r->p++;
    }
    if (r->p < r->end && *r->p == '=') {
        r->p++;
        skip_any_value(r);
    }
    finish_line(r);
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

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void tp_toml_decode_payload(const char *payload, tp_buf *out)
{
    for (const char *s = payload; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = hex_value(s[1])) >= 0 && (lo = hex_value(s[2])) >= 0) {
            tp_buf_putc(out, (char)(hi * 16 + lo));
            s += 2;
        } else {
            tp_buf_putc(out, *s);
        }
    }
}

/* ---- strings ---- */

static void put_utf8(tp_buf *b, unsigned long cp)
{
    if (cp < 0x80) {
        tp_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        tp_buf_putc(b, (char)(0xC0 | (cp >> 6)));
        tp_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        tp_buf_putc(b, (char)(0xE0 | (cp >> 12)));
        tp_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tp_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        tp_buf_putc(b, (char)(0xF0 | (cp >> 18)));
        tp_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        tp_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tp_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* \uXXXX or \UXXXXXXXX after the backslash and letter; false if invalid. */
static bool read_unicode_escape(tp_toml_reader *r, int digits, tp_buf *out)
{
    unsigned long cp = 0;
    if (r->end - r->p < digits)
        return false;
    for (int i = 0; i < digits; i++) {
        int v = hex_value(r->p[i]);
        if (v < 0)
            return false;
        cp = cp * 16 + (unsigned long)v;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    r->p += digits;
    put_utf8(out, cp);
    return true;
}

static bool read_escape(tp_toml_reader *r, tp_buf *out)
{
    static const char from[] = "\"\\ntrbf";
    static const char to[] = "\"\\\n\t\r\b\f";
    char c = *r->p++;
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        tp_buf_putc(out, to[hit - from]);
        return true;
    }
    if (c == 'u')
        return read_unicode_escape(r, 4, out);
    if (c == 'U')
        return read_unicode_escape(r, 8, out);
    return false;
}

static bool is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Reads a one-line "basic" or 'literal' string at p into out. */
static bool read_string(tp_toml_reader *r, tp_buf *out)
{
    char quote = *r->p++;
    while (r->p < r->end && *r->p != '\n') {
        unsigned char c = (unsigned char)*r->p;
        if (c == (unsigned char)quote) {
            r->p++;
            return true;
        }
        if (is_control(c) && c != '\r') {
            fail(r, "control character in a string", r->line);
            return false;
        }
        r->p++;
        if (c == '\\' && quote == '"') {
            if (r->p >= r->end || !read_escape(r, out)) {
                fail(r, "invalid escape in a string (accepted: \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX \\UXXXXXXXX)", r->line);
                return false;
            }
            continue;
        }
        tp_buf_putc(out, (char)c);
    }
    fail(r, "unterminated string", r->line);
    return false;
}

static bool at_unsupported(tp_toml_reader *r)
{
    if (starts_with(r, "\"\"\"") || starts_with(r, "'''")) {
        fail(r, "multi-line strings are not supported", r->line);
        return true;
    }
    if (*r->p == '{') {
        fail(r, "inline tables are not supported", r->line);
        return true;
    }
    return false;
}

/* ---- values ---- */

static bool is_token_end(char c)
{
    return is_blank(c) || c == '\n' || c == '#' || c == ',' || c == ']';
}

/* One scalar: a string or a bare token. */
static bool read_scalar(tp_toml_reader *r)
{
    if (*r->p == '"' || *r->p == '\'') {
        tp_buf text = TP_BUF_INIT;
        bool ok = read_string(r, &text);
        if (ok)
            emit_item(r, 's', text.data ? text.data : "", text.len);
        if (text.failed)
            r->oom = true;
        tp_buf_free(&text);
        return ok;
    }
    const char *start = r->p;
    while (r->p < r->end && !is_token_end(*r->p))
        r->p++;
    if (r->p == start) {
        fail(r, "expected a value", r->line);
        return false;
    }
    emit_item(r, 'v', start, (size_t)(r->p - start));
    return true;
}

/* At the start of a line inside an array: does it look like the next
 * statement (`key =` or `[table]`), i.e. was the array never closed? */
static bool looks_like_statement(const tp_toml_reader *r)
{
    const char *s = r->p;
    if (s < r->end && *s == '[') {
        s++;
        if (s < r->end && *s == '[')
            s++;
        while (s < r->end && is_blank(*s))
            s++;
        if (s >= r->end || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
            return false;
        while (s < r->end && (is_key_char(*s) || is_blank(*s)))
            s++;
        return s < r->end && *s == ']';
    }
    const char *key = s;
    while (s < r->end && is_key_char(*s))
        s++;
    if (s == key)
        return false;
    while (s < r->end && is_blank(*s))
        s++;
    return s < r->end && *s == '=';
}

/* Skips the rest of a bad array element, up to `,`, `]` or the line end. */
static void skip_element(tp_toml_reader *r)
{
    while (r->p < r->end && *r->p != ',' && *r->p != ']' && *r->p != '\n' && *r->p != '#') {
        if (*r->p == '"' || *r->p == '\'')
            skip_any_string(r);
        else
            r->p++;
    }
}

static void read_array_element(tp_toml_reader *r)
{
    if (*r->p == '[') {
        fail(r, "nested arrays are not supported", r->line);
        skip_any_value(r);
    } else if (!at_unsupported(r) && read_scalar(r)) {
        return;
    }
    skip_element(r);
}

/* An array, over as many lines as it takes; p is at '['. */
static bool read_array(tp_toml_reader *r)
{
    int start_line = r->line;
    bool want_element = true;   /* after `[` or `,` */
    r->p++;
    emit_line(r, "[");
    for (;;) {
        bool new_line = skip_space_and_lines(r);
        if (r->p >= r->end || (new_line && looks_like_statement(r))) {
            fail(r, "unterminated array (no closing `]`)", start_line);
            r->resume_here = true;
            return false;
        }
        if (*r->p == ']') {
            r->p++;
            return r->error == NULL;
        }
        if (*r->p == ',') {
            if (want_element)
                fail(r, "expected an array element before `,`", r->line);
            r->p++;
            want_element = true;
            continue;
        }
        if (!want_element)
            fail(r, "expected `,` or `]` after an array element", r->line);
        read_array_element(r);
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
    if (*r->p == '[')
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
    tp_report(r->rep, r->error_line, r->key[0] ? r->key : NULL, r->error);
}

/* Normalises a table name into `name` (blanks dropped); false if malformed. */
static bool read_table_name(tp_toml_reader *r, char *name, size_t size, bool *is_array)
{
    size_t n = 0;
    r->p++;
    *is_array = r->p < r->end && *r->p == '[';
    if (*is_array)
        r->p++;
    while (r->p < r->end && *r->p != ']' && *r->p != '\n') {
        if (*r->p == '"' || *r->p == '\'') {
            /* Quoted parts never name our table; keep a marker. */
            skip_any_string(r);
            if (n + 1 < size)
                name[n++] = '"';
            continue;
        }
        if (!is_blank(*r->p) && n + 1 < size)
            name[n++] = *r->p;
        r->p++;
    }
    name[n] = '\0';
    if (r->p >= r->end || *r->p != ']' || n == 0)
        return false;
    r->p++;
    if (*is_array) {
        if (r->p >= r->end || *r->p != ']')
            return false;
        r->p++;
    }
    skip_blanks(r);
    return at_line_end(r);
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
    if (ok && r->relevant)
        r->has_table = true;
    if (!ok && r->kind == TP_FILE_TRACEPATCH)
        tp_report(r->rep, r->line, NULL, "malformed table header");
    tp_buf_puts(&r->out, r->relevant ? "[tracepatch]\n" : "[other]\n");
    finish_line(r);
}

static bool read_key(tp_toml_reader *r)
{
    const char *start = r->p;
    while (r->p < r->end && is_key_char(*r->p))
        r->p++;
    size_t n = (size_t)(r->p - start);
    if (n == 0) {
        fail(r, *start == '"' || *start == '\''
                    ? "quoted keys are not supported"
                    : "expected `key = value`", r->line);
        return false;
    }
    if (n > TP_TOML_MAX_KEY) {
        fail(r, "key too long", r->line);
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
        skip_blanks(r);
        if (r->p >= r->end || *r->p != '=')
            fail(r, "expected `=` after the key", r->line);
        else {
            r->p++;
            skip_blanks(r);
            if (at_line_end(r))
                fail(r, "missing value", r->line);
            else if (read_value(r)) {
                skip_blanks(r);
                if (!at_line_end(r))
                    fail(r, "unexpected text after the value", r->line);
            }
        }
    }
    if (r->error) {
        r->out.len = out_mark;
        report_statement_error(r);
        if (!ok)
            skip_foreign_statement(r);
        else if (!r->resume_here)
            finish_line(r);
        return;
    }
    finish_line(r);
}

static void read_statement(tp_toml_reader *r)
{
    r->error = NULL;
    r->resume_here = false;
    r->key[0] = '\0';
    skip_blanks(r);
    if (at_line_end(r)) {
        finish_line(r);
        return;
    }
    r->stmt_line = r->line;
    if (*r->p == '[')
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
        if (r->p >= r->end)
            return NULL;
        read_statement(r);
        if (r->out.failed) {
            r->oom = true;
            return NULL;
        }
    }
    return hand_out_line(r, str);
}
