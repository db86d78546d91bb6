/* The trace header: every top-level key except `trace`, kept as compact
 * JSON text while the reader streams (bounded by TP_MAX_HEADER_BYTES), then
 * parsed into a small yajl tree the commands query by key. */
#ifndef TPH_HEADER_H
#define TPH_HEADER_H

#include "buf.h"
#include "thread_ref.h"

#include <stdbool.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#define TP_MAX_HEADER_BYTES (4u << 20)
#define TP_MAX_HEADER_NESTING 60

typedef struct tp_header {
    tp_buf json;          /* captured text of the top-level object */
    yajl_val tree;        /* parsed by tp_header_finish; NULL before */
    uint64_t node_count;  /* nodes the reader walked */
    bool has_trace;       /* a `trace` array was seen */
    bool out_of_memory;   /* the capture or the tree could not get memory */
    /* capture state: one bit per open container below the top level */
    uint64_t open_is_map, open_has_items;
    unsigned open_depth;
} tp_header;

typedef enum tp_json_type {
    TP_JSON_STRING, TP_JSON_INTEGER, TP_JSON_NUMBER, TP_JSON_BOOL,
    TP_JSON_NULL, TP_JSON_OBJECT, TP_JSON_ARRAY
} tp_json_type;

void tp_header_init(tp_header *h);
void tp_header_free(tp_header *h);

/* The reader's capture calls; false when the header grows past its bounds. */
bool tp_header_open(tp_header *h, bool is_map);
void tp_header_close(tp_header *h);
void tp_header_key(tp_header *h, const unsigned char *key, size_t len);
void tp_header_string(tp_header *h, const unsigned char *text, size_t len);
void tp_header_raw(tp_header *h, const char *text, size_t len);  /* numbers, literals */
bool tp_header_too_big(const tp_header *h);   /* or its text could not grow */

/* For a known top-level key: NULL if a value of type `got` is acceptable,
 * else the expected type's name ("an integer", ...). null is always fine. */
const char *tp_header_type_problem(const char *key, size_t key_len, tp_json_type got);
const char *tp_json_type_name(tp_json_type t);

/* Parses the captured text; false if the capture was cut short or memory
 * ran out (then `out_of_memory`). */
bool tp_header_finish(tp_header *h);

/* Accessors: NULL / false when the key is absent, null or another type. */
yajl_val tp_header_get(const tp_header *h, const char *key);
const char *tp_header_str(const tp_header *h, const char *key);
bool tp_header_int(const tp_header *h, const char *key, int64_t *out);
bool tp_header_num(const tp_header *h, const char *key, double *out);
bool tp_header_bool(const tp_header *h, const char *key, bool *out);
/* The thread an entry of `threads` describes: its `id`, with its
 * `native_id` when it has one. False when it has no integer `id`. */
bool tp_header_thread_entry_ref(yajl_val entry, tp_thread_ref *out);
/* The entry of `threads` for `thread` (its ident, and its kernel tid when
 * known), or NULL. */
yajl_val tp_header_thread(const tp_header *h, tp_thread_ref thread);
/* That entry's `name`, or NULL. */
const char *tp_header_thread_name(const tp_header *h, tp_thread_ref thread);

#endif
