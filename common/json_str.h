/* JSON text for strings and numbers (RFC 8259), pure C.
 *
 * Whatever bytes come in, what comes out is valid JSON in valid UTF-8:
 * readers such as jq or Python's json must never choke on a trace. */
#ifndef TP_JSON_STR_H
#define TP_JSON_STR_H

#include <stddef.h>

#include "buf.h"

/* Appends `s` (n bytes, may hold NUL) as a quoted JSON string. Escapes '"',
 * '\\' and control characters (\b \f \n \r \t, the others as \u00XX; NUL as
 * \u0000). Well-formed UTF-8 passes through unchanged; each maximal ill-formed
 * subsequence (stray continuation bytes, truncated sequences, overlongs,
 * encoded surrogates, code points above U+10FFFF) becomes one U+FFFD, the
 * same replacement Python's bytes.decode("utf-8", "replace") makes. */
void tp_json_string(tp_buf *out, const char *s, size_t n);

/* Appends a JSON number: null for NaN and infinities (JSON has neither);
 * integral values below 2^63 in magnitude as plain integers ("3",
 * "10000000000000000"); -0.0 as "-0.0" so that its sign survives a reader
 * that parses "-0" as an integer; anything else in the shortest %g form that
 * reads back to the same double ("0.1", "1.5e+300").
 * The output never depends on the process's locale. */
void tp_json_number(tp_buf *out, double v);

#endif
