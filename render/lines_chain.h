/* tph lines: the open calls while a trace streams, each with the text its
 * line in a call stack needs, so the stack above a line-mode call can be
 * printed when that call's `lines` is read. Memory grows with nesting
 * depth (the reader bounds it), each call's text cut at a few KiB. */
#ifndef TPH_LINES_CHAIN_H
#define TPH_LINES_CHAIN_H

#include "buf.h"
#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

#define TP_LINES_CALL_LIMIT 1024   /* "module.qualname(args)" is cut here */
#define TP_LINES_RESULT_LIMIT 1024 /* so is the return value or exception */
#define TP_LINES_FILE_LIMIT 512

typedef struct tp_lines_frame {
    uint64_t index;
    int64_t thread;
    double elapsed_ms;         /* NAN when unknown */
    bool has_thread, unfinished;
    bool match;                /* the caller's mark (--function) */
    size_t text_at;            /* call text, result, file in `text`, each + NUL */
    uint32_t call_len, result_len, file_len;
} tp_lines_frame;

typedef struct tp_lines_chain {
    tp_lines_frame *frames;
    size_t depth, cap;
    tp_buf text, scratch;
} tp_lines_chain;

#define TP_LINES_CHAIN_INIT {NULL, 0, 0, TP_BUF_INIT, TP_BUF_INIT}

/* Pushes the call `node` describes (its depth must be the chain's);
 * false when out of memory. */
bool tp_lines_chain_push(tp_lines_chain *c, const tp_node *node, bool match);
void tp_lines_chain_pop(tp_lines_chain *c);
/* The innermost open call, or NULL. */
const tp_lines_frame *tp_lines_chain_top(const tp_lines_chain *c);
/* The call's file name ("" when unknown); valid until the next push. */
const char *tp_lines_chain_file(const tp_lines_chain *c, const tp_lines_frame *f);

/* Appends the chain as `tph tree` would draw it: one line per call,
 * `module.qualname(args)`, the innermost with its result and elapsed. */
void tp_lines_chain_print(const tp_lines_chain *c, tp_buf *out);

void tp_lines_chain_free(tp_lines_chain *c);

#endif
