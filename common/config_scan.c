/* The lexical layer of the config module's TOML readers (see config_scan.h). */
#include "config_scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tp_scan_init(tp_scan *s, const char *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->p = data;
    s->end = data + len;
    s->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        s->p += 3;
}

/* ---- characters and lines ---- */

bool tp_scan_is_blank(char c)
{
    /* '\r' counts as blank so that CRLF files read like LF files. */
    return c == ' ' || c == '\t' || c == '\r';
}

bool tp_scan_is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

int tp_scan_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool tp_scan_starts_with(const tp_scan *s, const char *text)
{
    size_t n = strlen(text);
    return (size_t)(s->end - s->p) >= n && memcmp(s->p, text, n) == 0;
}

void tp_scan_skip_blanks(tp_scan *s)
{
    while (s->p < s->end && tp_scan_is_blank(*s->p))
        s->p++;
}

bool tp_scan_at_line_end(const tp_scan *s)
{
    return s->p >= s->end || *s->p == '\n' || *s->p == '#';
}

/* Up to the newline (or the end) that closes a comment. */
static void skip_comment(tp_scan *s)
{
    while (s->p < s->end && *s->p != '\n')
        s->p++;
}

void tp_scan_finish_line(tp_scan *s)
{
    skip_comment(s);
    if (s->p < s->end) {
        s->p++;
        s->line++;
    }
}

bool tp_scan_skip_space_and_lines(tp_scan *s)
{
    bool crossed = false;
    for (;;) {
        tp_scan_skip_blanks(s);
        if (s->p < s->end && *s->p == '#')
            skip_comment(s);
        if (s->p >= s->end || *s->p != '\n')
            return crossed;
        s->p++;
        s->line++;
        crossed = true;
    }
}

void tp_scan_fail(tp_scan *s, int line, const char *fmt, ...)
{
    if (s->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    s->error = s->message;
    s->error_line = line;
}

size_t tp_scan_bare_key(tp_scan *s, bool dotted)
{
    const char *start = s->p;
    while (s->p < s->end && (tp_scan_is_key_char(*s->p) || (dotted && *s->p == '.')))
        s->p++;
    return (size_t)(s->p - start);
}

/* ---- strings ---- */

static void put_utf8(tp_buf *b, unsigned long cp)
{
    if (cp < 0x80) {
        tp_buf_putc(b, (char)cp);
        return;
    }
    int extra = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    static const unsigned char lead[] = {0, 0xC0, 0xE0, 0xF0};
    tp_buf_putc(b, (char)(lead[extra] | (cp >> (6 * extra))));
    for (int i = extra - 1; i >= 0; i--)
        tp_buf_putc(b, (char)(0x80 | ((cp >> (6 * i)) & 0x3F)));
}

/* \uXXXX or \UXXXXXXXX, p after the letter; false if not a scalar value
 * (or NUL, for a reader that refuses it). */
static bool read_unicode(tp_scan *s, int digits, tp_buf *out)
{
    unsigned long cp = 0;
    if (s->end - s->p < digits)
        return false;
    for (int i = 0; i < digits; i++) {
        int v = tp_scan_hex_digit(s->p[i]);
        if (v < 0)
            return false;
        cp = cp * 16 + (unsigned long)v;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp == 0 && s->refuse_nul_escape))
        return false;
    s->p += digits;
    put_utf8(out, cp);
    return true;
}

/* The escape after a backslash; p is past the backslash. */
static bool read_escape(tp_scan *s, tp_buf *out)
{
    static const char from[] = "\"\\ntrbf";
    static const char to[] = "\"\\\n\t\r\b\f";
    /* A backslash that ends the line escapes nothing: the newline is left
     * for the caller, so the next line is read as a line of its own. */
    if (s->p < s->end && *s->p == '\n')
        return false;
    char c = s->p < s->end ? *s->p++ : '\0';
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        tp_buf_putc(out, to[hit - from]);
        return true;
    }
    if (c == 'u' || c == 'U')
        return read_unicode(s, c == 'u' ? 4 : 8, out);
    return false;
}

static bool is_control(unsigned char c)
{
    /* '\r' passes like a blank does (CRLF files). */
    return (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f;
}

bool tp_scan_string(tp_scan *s, tp_buf *out)
{
    if (tp_scan_starts_with(s, "\"\"\"") || tp_scan_starts_with(s, "'''")) {
        tp_scan_fail(s, s->line, "multi-line strings are not supported");
        return false;
    }
    char quote = *s->p++;
    while (s->p < s->end && *s->p != '\n') {
        unsigned char c = (unsigned char)*s->p++;
        if (c == (unsigned char)quote)
            return true;
        if (is_control(c)) {
            tp_scan_fail(s, s->line, "control character in a string");
            return false;
        }
        if (c == '\\' && quote == '"') {
            if (!read_escape(s, out)) {
                tp_scan_fail(s, s->line, "invalid escape in a string%s",
                             s->escape_hint ? s->escape_hint : "");
                return false;
            }
            continue;
        }
        tp_buf_putc(out, (char)c);
    }
    tp_scan_fail(s, s->line, "unterminated string");
    return false;
}

void tp_scan_skip_string(tp_scan *s)
{
    char quote = *s->p;
    const char *triple = quote == '"' ? "\"\"\"" : "'''";
    bool is_triple = tp_scan_starts_with(s, triple);
    s->p += is_triple ? 3 : 1;
    while (s->p < s->end) {
        char c = *s->p;
        if (c == '\\' && quote == '"' && s->p + 1 < s->end && s->p[1] != '\n') {
            s->p += 2;
            continue;
        }
        if (c == '\n' && !is_triple)
            return;
        if (c == '\n')
            s->line++;
        else if (c == quote && (!is_triple || tp_scan_starts_with(s, triple))) {
            s->p += is_triple ? 3 : 1;
            return;
        }
        s->p++;
    }
}

/* ---- statements and skipping ---- */

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool tp_scan_at_statement(const tp_scan *s)
{
    const char *p = s->p;
    while (p < s->end && tp_scan_is_blank(*p))
        p++;
    if (p < s->end && *p == '[') {
        p += 1 + (p + 1 < s->end && p[1] == '[');
        while (p < s->end && tp_scan_is_blank(*p))
            p++;
        if (p >= s->end || !is_name_start(*p))
            return false;
        while (p < s->end && (tp_scan_is_key_char(*p) || *p == '.' || tp_scan_is_blank(*p)))
            p++;
        return p < s->end && *p == ']';
    }
    const char *key = p;
    while (p < s->end && (tp_scan_is_key_char(*p) || *p == '.'))
        p++;
    while (p > key && p < s->end && tp_scan_is_blank(*p))
        p++;
    return p > key && p < s->end && *p == '=';
}

/* The value from p: strings and comments skipped whole, brackets counted.
 * It ends before the newline that ends it at depth 0, or, with `closing`,
 * just past the bracket that closes the first one. With `at_statement` it
 * stops early before a line that looks like the next statement and
 * returns true. */
static bool skip_value(tp_scan *s, bool at_statement, bool closing)
{
    int depth = 0;
    while (s->p < s->end) {
        char c = *s->p;
        if (c == '"' || c == '\'') {
            tp_scan_skip_string(s);
            continue;
        }
        if (c == '#') {
            skip_comment(s);
            continue;
        }
        if (c == '\n') {
            if (depth == 0)
                return false;
            s->p++;
            s->line++;
            if (at_statement && tp_scan_at_statement(s))
                return true;
            continue;
        }
        s->p++;
        if (c == '[' || c == '{')
            depth++;
        else if ((c == ']' || c == '}') && depth > 0 && --depth == 0 && closing)
            return false;
    }
    return false;
}

bool tp_scan_skip_value(tp_scan *s, bool stop_at_statement)
{
    return skip_value(s, stop_at_statement, false);
}

bool tp_scan_skip_bracketed(tp_scan *s)
{
    return skip_value(s, true, true);
}

/* ---- whole files ---- */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_length(const unsigned char *s, size_t left)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;   /* overlong, surrogate or beyond U+10FFFF */
    return n;
}

size_t tp_scan_first_bad_byte(const char *data, size_t len, bool *is_nul)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0;
    while (i < len) {
        size_t n = s[i] ? utf8_length(s + i, len - i) : 0;
        if (n == 0) {
            if (is_nul)
                *is_nul = s[i] == 0;
            return i;
        }
        i += n;
    }
    return len;
}
