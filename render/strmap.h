/* A string -> index map (open addressing), used to count per function,
 * module and thread. Keys are copied. */
#ifndef TPH_STRMAP_H
#define TPH_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tp_strmap {
    char **keys;
    size_t *values;
    size_t count, cap;
} tp_strmap;

#define TP_STRMAP_INIT {NULL, NULL, 0, 0}

/* The value stored for `key`, or adds it with `new_value`; false when out
 * of memory. `*added` tells which happened. */
bool tp_strmap_intern(tp_strmap *m, const char *key, size_t new_value, size_t *value, bool *added);
/* false when absent. */
bool tp_strmap_get(const tp_strmap *m, const char *key, size_t *value);
void tp_strmap_free(tp_strmap *m);

#endif
