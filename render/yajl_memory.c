#include "yajl_memory.h"
#include "out_of_memory.h"

#include <stdlib.h>

static void *yajl_memory_malloc(void *ctx, size_t n)
{
    void *p = malloc(n);
    if (!p)
        tp_oom_exit(((const tp_yajl_memory *)ctx)->at);
    return p;
}

static void *yajl_memory_realloc(void *ctx, void *old, size_t n)
{
    void *p = realloc(old, n);
    if (!p && n)
        tp_oom_exit(((const tp_yajl_memory *)ctx)->at);
    return p;
}

static void yajl_memory_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

void tp_yajl_memory_init(tp_yajl_memory *m, const uint64_t *at)
{
    *m = (tp_yajl_memory){{yajl_memory_malloc, yajl_memory_realloc, yajl_memory_free, m}, at};
}
