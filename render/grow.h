/* Growing arrays: room for one more element, doubling from `first`. */
#ifndef TPH_GROW_H
#define TPH_GROW_H

#include <stdbool.h>
#include <stdlib.h>

/* Makes room for element `n` of `*items` (`*cap` elements of `size`
 * bytes); false when out of memory, the array left as it was. */
static inline bool tp_grow(void **items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return true;
    size_t want = *cap ? *cap * 2 : first;
    void *p = realloc(*items, want * size);
    if (!p)
        return false;
    *items = p;
    *cap = want;
    return true;
}

#endif
