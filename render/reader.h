/* The streaming trace reader: walks one trace file once with yajl's event
 * parser and hands each call node to the caller in pre-order, keeping only
 * one node's text and a few numbers per open ancestor. Memory does not
 * grow with the file; it grows with nesting depth (bounded by
 * TP_MAX_NODE_DEPTH) and with the header (bounded by TP_MAX_HEADER_BYTES). */
#ifndef TPH_READER_H
#define TPH_READER_H

#include "buf.h"
#include "depth_limit.h"
#include "header.h"
#include "thread_ref.h"

#include <stdbool.h>
#include <stdint.h>

#define TP_MAX_NODE_DEPTH TP_DEPTH_LIMIT   /* deeper call trees are rejected */
#define TP_MAX_STRING_BYTES (16u << 20)  /* longer JSON strings are rejected */
#define TP_FIELD_LIMIT 16384             /* node text fields are cut here */

/* One call as the reader knows it when it is delivered: every key that came
 * before the node's `children` array (the writers put `children` last).
 * Text fields are NULL when absent or null; they live until the next
 * callback. */
typedef struct tp_node {
    uint64_t index;           /* pre-order position in the file, from 0 */
    unsigned depth;           /* 0 for a root */
    const char *name, *qualname, *module, *file, *kind;
    const char *args, *return_value, *exception;
    int64_t lineno, thread, resumes;
    int64_t native_thread;    /* `native_thread_id`: the kernel tid */
    double start, end, elapsed_ms, suspended_ms;
    bool has_lineno, has_thread, has_native_thread, has_resumes;
    bool has_start, has_end, has_elapsed, has_suspended;
    bool unfinished;
} tp_node;

/* What is known when a node's object closes: keys that came after
 * `children` are included here. */
typedef struct tp_node_end {
    uint64_t index;
    unsigned depth;
    uint64_t descendants;     /* nodes in its subtree, itself excluded */
    int64_t thread;           /* inherited from the root when absent */
    int64_t native_thread;    /* likewise */
    double elapsed_ms;        /* `elapsed_ms`, else (end - start) * 1000 */
    bool has_thread, has_native_thread, has_elapsed;
    bool unfinished;
} tp_node_end;

/* One JSON event inside the value of a node key the caller asked for
 * (`value_key`): the value's own containers, keys and scalars, in order.
 * `text` is a key's or a scalar's raw text (strings decoded, not cut or
 * escaped), valid only during the call; `level` is 0 for the value itself. */
typedef enum tp_value_event {
    TP_VALUE_OPEN_MAP, TP_VALUE_OPEN_ARRAY, TP_VALUE_CLOSE, TP_VALUE_KEY, TP_VALUE_SCALAR
} tp_value_event;

typedef struct tp_value_token {
    tp_value_event event;
    tp_json_type type;        /* of a scalar */
    const char *text;         /* a key or scalar; NULL for containers */
    size_t len;
    bool bool_value;
    unsigned level;
    uint64_t node_index;      /* the call whose key this is */
} tp_value_token;

/* The thread of a call (thread_ref.h). */
static inline tp_thread_ref tp_node_thread(const tp_node *n)
{
    return (tp_thread_ref){n->thread, n->native_thread, n->has_thread, n->has_native_thread};
}

static inline tp_thread_ref tp_node_end_thread(const tp_node_end *e)
{
    return (tp_thread_ref){e->thread, e->native_thread, e->has_thread, e->has_native_thread};
}

/* Bits for tp_read_trace_skip, one per text field of tp_node. */
enum {
    TP_TEXT_NAME = 1 << 0, TP_TEXT_QUALNAME = 1 << 1, TP_TEXT_MODULE = 1 << 2,
    TP_TEXT_FILE = 1 << 3, TP_TEXT_KIND = 1 << 4, TP_TEXT_ARGS = 1 << 5,
    TP_TEXT_RETURN = 1 << 6, TP_TEXT_EXCEPTION = 1 << 7,
};

typedef struct tp_reader_callbacks {
    void (*node_begin)(const tp_node *node, void *ctx);
    void (*node_end)(const tp_node_end *end, void *ctx);
    void *ctx;
    /* Stop at the `trace` array when the header before it is complete
     * (files with `schema_version` keep `trace` last). */
    bool header_only;
} tp_reader_callbacks;

/* A node key the reader does not know whose value the caller wants (e.g.
 * "lines"): streamed to `token` (with the callbacks' ctx) instead of
 * skipped; it may come before or after node_begin. A non-NULL return
 * stops the read with that problem ("call key \"KEY\": PROBLEM at byte N"). */
typedef struct tp_reader_value {
    const char *key;
    const char *(*token)(const tp_value_token *token, void *ctx);
} tp_reader_value;

/* Reads `path`, filling `header` (which the caller frees with
 * tp_header_free). Returns 0, or -1 with one line "PATH: what is wrong at
 * byte N" in `error`. */
int tp_read_trace(const char *path, const tp_reader_callbacks *callbacks,
                  tp_header *header, tp_buf *error);

/* tp_read_trace for a caller that never reads some text fields (TP_TEXT_*
 * bits in `skip_texts`): they are still type-checked but not kept, and are
 * NULL in every tp_node. */
int tp_read_trace_skip(const char *path, const tp_reader_callbacks *callbacks,
                       unsigned skip_texts, tp_header *header, tp_buf *error);

/* tp_read_trace, also streaming the values of `value->key`. */
int tp_read_trace_value(const char *path, const tp_reader_callbacks *callbacks,
                        const tp_reader_value *value, tp_header *header, tp_buf *error);

/* The same over a memory buffer (used by the fuzz harness and tests);
 * `name` is used in error messages. */
int tp_read_trace_memory(const char *name, const unsigned char *data, size_t len,
                         const tp_reader_callbacks *callbacks, tp_header *header,
                         tp_buf *error);
int tp_read_trace_value_memory(const char *name, const unsigned char *data, size_t len,
                               const tp_reader_callbacks *callbacks,
                               const tp_reader_value *value, tp_header *header,
                               tp_buf *error);

#endif
