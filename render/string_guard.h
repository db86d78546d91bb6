/* The string-length guard: finds, before yajl sees a chunk, the byte at
 * which a JSON string grows past TP_MAX_STRING_BYTES, so yajl never buffers
 * an unbounded token. It tracks only "inside a string" and "after a
 * backslash" across chunks, and scans eight bytes at a time: it runs over
 * every byte of every file. */
#ifndef TPH_STRING_GUARD_H
#define TPH_STRING_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tp_string_guard {
    uint64_t base;          /* file offset of the next chunk */
    uint64_t string_start;  /* file offset of the open string's first byte */
    uint64_t limit;         /* longest string allowed, in raw bytes */
    bool in_string, in_escape;
} tp_string_guard;

void tp_string_guard_init(tp_string_guard *g, uint64_t limit);

/* Scans the next chunk of the file. Returns len when no string is too
 * long, else the chunk offset of the first byte past the limit. */
size_t tp_string_guard_scan(tp_string_guard *g, const unsigned char *data, size_t len);

#endif
