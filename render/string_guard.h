/* The string-length guard: makes sure yajl never buffers a JSON string
 * longer than TP_MAX_STRING_BYTES, and finds the byte where such a string
 * passes the limit.
 *
 * yajl only buffers a token that a chunk boundary cuts, so the guard only
 * follows strings left open at the end of a chunk. The reader tells it
 * where the last string yajl completed in a chunk ends; a quote after that
 * can only open a string that runs to the end of the chunk. Scanning every
 * byte is therefore not needed: the guard reads a few bytes per chunk,
 * plus the strings that cross chunk boundaries. */
#ifndef TPH_STRING_GUARD_H
#define TPH_STRING_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tp_string_guard {
    uint64_t base;          /* file offset of the current chunk */
    uint64_t string_start;  /* file offset of the open string's first byte */
    uint64_t limit;         /* longest string allowed, in raw bytes */
    bool in_string, in_escape;
} tp_string_guard;

void tp_string_guard_init(tp_string_guard *g, uint64_t limit);

/* Before yajl sees a chunk: follows a string left open by the previous
 * chunk to its closing quote. Returns the chunk offset just past that
 * quote (0 when no string was open, len when it is still open), or false
 * with *stop = the offset of the first byte past the limit. */
bool tp_string_guard_enter(tp_string_guard *g, const unsigned char *data, size_t len,
                           size_t *done, size_t *stop);

/* After yajl parsed the whole chunk: `done` is the offset just past the
 * last string yajl completed in it (or what enter returned, if larger).
 * Notes a string left open at the end; moves to the next chunk. */
void tp_string_guard_leave(tp_string_guard *g, const unsigned char *data, size_t len,
                           size_t done);

#endif
