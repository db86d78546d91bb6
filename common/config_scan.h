/* The lexical layer shared by the two TOML readers of the config module:
 * the main reader (config_toml.c) and the reader of the test tables
 * (config_test.c, config_test_scan.c). A cursor over the text that counts
 * lines; blanks and comments; bare keys; one-line strings with escapes;
 * skipping a value of any form. The grammar on top, and the messages that
 * name it, stay with each reader. */
#ifndef TP_CONFIG_SCAN_H
#define TP_CONFIG_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct tp_scan {
    const char *p, *end;
    int line;                   /* line number of p */
    const char *error;          /* first problem of the statement, or NULL */
    int error_line;
    char message[192];          /* storage for a formatted error */
    bool oom;                   /* set by a reader whose allocation failed */
    /* The readers take strings slightly differently; both are kept so that
     * neither changes what it accepts or says. */
    const char *escape_hint;    /* appended to "invalid escape in a string" */
    bool refuse_nul_escape;     /* \u0000 is an invalid escape */
} tp_scan;

/* At the start of the text, past a UTF-8 byte order mark; line 1. */
void tp_scan_init(tp_scan *s, const char *data, size_t len);

bool tp_scan_is_blank(char c);
/* A character of a bare key (without '.': dotted keys are the reader's). */
bool tp_scan_is_key_char(char c);
/* The value of a hexadecimal digit, or -1. */
int tp_scan_hex_digit(char c);

bool tp_scan_starts_with(const tp_scan *s, const char *text);
void tp_scan_skip_blanks(tp_scan *s);
/* At a newline, a comment or the end. */
bool tp_scan_at_line_end(const tp_scan *s);
/* Consumes the rest of the line, comment included, and its newline. */
void tp_scan_finish_line(tp_scan *s);
/* Skips blanks, comments and newlines (inside arrays and inline tables);
 * true if a newline was crossed. */
bool tp_scan_skip_space_and_lines(tp_scan *s);

/* Records the statement's first problem; printf-style. */
void tp_scan_fail(tp_scan *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Consumes the bare key at p (with dots when `dotted`); its length, 0 if
 * there is none. */
size_t tp_scan_bare_key(tp_scan *s, bool dotted);

/* Reads the one-line "basic" or 'literal' string at p into out. False:
 * s->error set (multi-line string, control character, invalid escape,
 * unterminated). */
bool tp_scan_string(tp_scan *s, tp_buf *out);

/* Skips a string of any form at p; stops at the newline that cuts a
 * one-line string short. */
void tp_scan_skip_string(tp_scan *s);

/* At the start of a line: does it look like the next statement, `key =`
 * or a table header? A header's name must begin with a letter or '_', so
 * an element like `[1]` on its own line inside an array is not one. */
bool tp_scan_at_statement(const tp_scan *s);

/* Skips a value of any form from p (nested arrays, inline tables, strings
 * of every kind), up to the newline that ends it. With `stop_at_statement`
 * it stops early before a line that looks like the next statement (a value
 * left unterminated) and returns true: p is at that statement. */
bool tp_scan_skip_value(tp_scan *s, bool stop_at_statement);
/* From an opening `[` or `{` to just past its match, over lines if need
 * be, but not into a line that starts a statement: then p is there and it
 * returns true. */
bool tp_scan_skip_bracketed(tp_scan *s);

/* Offset of the first byte of `data` that is not text: a NUL (then
 * *is_nul is set, unless is_nul is NULL) or the start of an invalid UTF-8 sequence (overlong,
 * surrogate, beyond U+10FFFF); len if there is none. Both readers refuse
 * such files whole, before scanning. */
size_t tp_scan_first_bad_byte(const char *data, size_t len, bool *is_nul);

#endif
