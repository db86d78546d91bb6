/* The header's captured JSON text as a tree of yajl values (the public
 * struct yajl_val_s that yajl_tree_get and the YAJL_IS_* macros read).
 * Built here rather than by yajl_tree_parse, whose allocations are not
 * checked (a failed one crashed tph): every allocation is, and running
 * out of memory is told apart from text that is not JSON. */
#ifndef TPH_HEADER_TREE_H
#define TPH_HEADER_TREE_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

typedef enum { TP_TREE_OK, TP_TREE_NOT_JSON, TP_TREE_OUT_OF_MEMORY } tp_tree_status;

tp_tree_status tp_header_tree_parse(const char *json, size_t len, yajl_val *out);
void tp_header_tree_free(yajl_val v);

#endif
