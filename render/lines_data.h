/* One call's `lines` object (line mode, docs/format.md) as `tph lines`
 * keeps it while the reader streams: built from the reader's value tokens,
 * holding only what the chosen view prints, and bounded per call. Every
 * string is made safe for a terminal, cut at TP_LINES_TEXT_LIMIT bytes and
 * kept in one arena; the records refer to it by offset. */
#ifndef TPH_LINES_DATA_H
#define TPH_LINES_DATA_H

#include "buf.h"
#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

#define TP_LINES_MAX_BYTES (8u << 20)   /* memory for one call's records */
#define TP_LINES_MAX_ITEMS 100000       /* steps or summary lines kept per call */
#define TP_LINES_TEXT_LIMIT 2048        /* each string is cut here */
#define TP_LINES_NONE UINT32_MAX        /* an absent string */
#define TP_LINES_MAX_LEVEL 8            /* nesting the object can use */

typedef struct tp_lines_step {
    int64_t line;
    double dt_ms;
    bool has_line, has_dt;
    bool cut;                 /* some of its variables were not kept */
    uint32_t source;          /* arena offset or TP_LINES_NONE */
    uint32_t statement;       /* one statement of a multi-statement line: its text */
    int64_t statement_index;  /* and its place on the line (1-based) */
    bool has_statement_index;
    uint32_t vars, n_vars;    /* a range of `strs` */
} tp_lines_step;

typedef struct tp_lines_var {
    uint32_t name;
    int64_t count;
    bool has_count;
    uint32_t first, n_first;  /* ranges of `strs` */
    uint32_t last, n_last;
} tp_lines_var;

typedef struct tp_lines_row {
    int64_t line, hits;
    bool has_line, has_hits;
    bool cut;                 /* some of its variables were not kept */
    uint32_t source;
    uint32_t vars, n_vars;    /* a range of `vars` */
} tp_lines_row;

typedef struct tp_lines {
    /* what the view needs; set once */
    bool keep_steps, keep_summary;
    /* the value being read or read */
    uint64_t node_index;
    bool started, complete, present;  /* present: an object, not null */
    uint32_t mode;
    int64_t steps_dropped;
    uint64_t steps_seen, rows_seen;   /* in the file */
    uint64_t steps_unkept, rows_unkept;   /* over tph's bounds */
    tp_lines_step *steps;
    tp_lines_row *rows;
    tp_lines_var *vars;
    uint32_t *strs;
    size_t n_steps, n_rows, n_vars, n_strs;
    size_t steps_cap, rows_cap, vars_cap, strs_cap;
    tp_buf text, scratch;
    /* parser state */
    unsigned char ctx[TP_LINES_MAX_LEVEL];   /* what each open container is */
    int pending;              /* what the last key's value is */
    uint32_t pending_name;    /* a summary variable's name */
    unsigned skip_from;       /* level of a container being skipped, or UINT_MAX */
    unsigned discard_from;    /* level of a record read for its types only */
    char problem[192];
} tp_lines;

void tp_lines_init(tp_lines *l, bool keep_steps, bool keep_summary);
void tp_lines_free(tp_lines *l);

/* Takes one token of a call's `lines` value. A token at level 0 that opens
 * the value starts over for that call. Returns NULL, or what is wrong. */
const char *tp_lines_feed(tp_lines *l, const tp_value_token *t);

/* A kept string, "" for TP_LINES_NONE. */
const char *tp_lines_str(const tp_lines *l, uint32_t offset);

#endif
