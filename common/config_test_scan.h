/* Private to config_test.c: the scanner under the test-table reader. It
 * reads TOML inline values (strings, numbers, booleans, arrays over several
 * lines, inline tables) and skips anything else, keeping line numbers. */
#ifndef TP_CONFIG_TEST_SCAN_H
#define TP_CONFIG_TEST_SCAN_H

#include <stdbool.h>

#include "config_test.h"

typedef struct tp_tscan {
    const char *p, *end;
    int line;                   /* line number of p */
    const char *error;          /* first problem of the statement, or NULL */
    int error_line;
    char message[192];          /* storage for a formatted error */
    bool oom;
} tp_tscan;

bool tp_tscan_is_blank(char c);
bool tp_tscan_is_key_char(char c);
void tp_tscan_skip_blanks(tp_tscan *s);
/* At a newline, a comment or the end. */
bool tp_tscan_at_line_end(const tp_tscan *s);
/* Consumes the rest of the line, comment included, and its newline. */
void tp_tscan_finish_line(tp_tscan *s);
/* Records the statement's first problem; printf-style. */
void tp_tscan_fail(tp_tscan *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads the value at p into *out (freed on failure). False: s->error set. */
bool tp_tscan_value(tp_tscan *s, tp_tvalue *out);

/* Skips a value of any form from p, up to the newline that ends it; stops
 * early before a line that looks like the next statement (a value left
 * unterminated) and then returns true: p is at that statement. */
bool tp_tscan_skip_value(tp_tscan *s);

#endif
