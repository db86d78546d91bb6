/* Writing a parsed JSON value (from the header) as display text. */
#ifndef TPH_JSON_VALUE_H
#define TPH_JSON_VALUE_H

#include "buf.h"

#include <stdbool.h>
#include <yajl/yajl_tree.h>

/* Appends `v` as compact JSON; a top-level string is written bare when
 * `bare_string` is set. Control characters are escaped either way. */
void tp_value_append(tp_buf *out, yajl_val v, bool bare_string);

/* Appends `text` made safe for a terminal (control characters escaped). */
void tp_text_append(tp_buf *out, const char *text);

#endif
