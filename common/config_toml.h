/* The TOML subset reader: turns a config file into lines inih can parse,
 * one INI line per piece of a value, so that strings with `;`, `#`, `=` or
 * any length, and arrays over several lines, reach the handler intact.
 *
 * Lines handed to inih (KEY is a bare TOML key, PAYLOAD is percent-encoded
 * so inih never strips or cuts it):
 *   [tracepatch]       entering a table that holds our keys
 *   [other]            entering any other table (its keys are not emitted)
 *   KEY=[              an array value begins
 *   KEY=sPAYLOAD       a string (a scalar, or the next array element)
 *   KEY=vPAYLOAD       a bare token (number, boolean, or junk to reject)
 *   KEY=+PAYLOAD       more of the previous string or token (long values)
 *   KEY=.              the value is complete
 * Syntax problems are reported here, once per statement; such statements
 * emit nothing. */
#ifndef TP_CONFIG_TOML_H
#define TP_CONFIG_TOML_H

#include "config_internal.h"
#include "config_scan.h"

#define TP_TOML_MAX_KEY 64

typedef struct tp_toml_reader {
    tp_scan s;                  /* the text, and the statement's first problem */
    int stmt_line;              /* first line of the statement being handed out */
    char key[TP_TOML_MAX_KEY + 1];
    tp_file_kind kind;
    bool relevant;              /* the current table holds our keys */
    bool has_table;             /* our table header was seen */
    bool oom;
    tp_reporter *rep;
    tp_buf out;                 /* INI lines not yet handed to inih */
    size_t out_pos;
    size_t max_line;            /* longest line inih takes, without "\n" */
    bool resume_here;           /* p is at the start of the next statement */
} tp_toml_reader;

void tp_toml_reader_init(tp_toml_reader *r, const char *data, size_t len,
                         tp_file_kind kind, tp_reporter *rep);
void tp_toml_reader_free(tp_toml_reader *r);

/* An ini_reader: `stream` is a tp_toml_reader. */
char *tp_toml_read_line(char *str, int num, void *stream);

/* Decodes a PAYLOAD back into bytes, appending to `out`. */
void tp_toml_decode_payload(const char *payload, tp_buf *out);

#endif
