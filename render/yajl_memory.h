/* yajl's allocations. yajl does not check them: one that fails crashes it
 * (inside yajl_alloc, yajl_parse). So a failed one ends tph here
 * (out_of_memory.h), naming the byte being read. */
#ifndef TP_YAJL_MEMORY_H
#define TP_YAJL_MEMORY_H

#include <stdint.h>
#include <yajl/yajl_common.h>

typedef struct tp_yajl_memory {
    yajl_alloc_funcs funcs;   /* what yajl_alloc takes; ctx is this struct */
    const uint64_t *at;       /* where the current chunk starts in the file */
} tp_yajl_memory;

void tp_yajl_memory_init(tp_yajl_memory *m, const uint64_t *at);

#endif
