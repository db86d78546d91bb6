/* Bounded text fields: how tph keeps a string taken from a trace file.
 * A kept string is cut at a byte limit (on a UTF-8 boundary, marked with
 * "...") and its control characters are escaped, so a hostile trace can
 * neither grow memory nor drive the terminal. */
#ifndef TPH_FIELD_H
#define TPH_FIELD_H

#include "buf.h"

#include <stddef.h>

/* Replaces the contents of `out` with `text`[0..len) made safe for a
 * terminal and cut to at most about `limit` bytes. */
void tp_field_set(tp_buf *out, const unsigned char *text, size_t len, size_t limit);

/* Appends `text` as the body of a JSON string (no quotes) to `out`. */
void tp_json_escape(tp_buf *out, const char *text);

#endif
