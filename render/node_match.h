/* --filter patterns: which calls a pattern names, and the identity of a
 * function (module + qualname) used for folding. */
#ifndef TPH_NODE_MATCH_H
#define TPH_NODE_MATCH_H

#include "reader.h"

#include <stdbool.h>
#include <stdint.h>

/* The name a call is shown and matched under: "module.qualname", falling
 * back to `name` and leaving out a missing module. */
void tp_node_display_name(tp_buf *out, const tp_node *node);
/* The call's elapsed time in ms: elapsed_ms, else end - start; NAN when
 * the trace says neither. */
double tp_node_elapsed_ms(const tp_node *node);

/* A pattern with *, ? or [ is a shell glob over the whole display name;
 * any other pattern matches when it occurs anywhere in it. */
bool tp_pattern_match(const char *pattern, const char *display_name);

/* 64-bit FNV-1a of the display name: equal functions, equal keys. */
uint64_t tp_function_key(const char *display_name);

#endif
