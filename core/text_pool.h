/* Bytes that live as long as their pool and are freed together.
 *
 * A window meets each code object once and keeps what it learnt (names,
 * parameter tables) until the window is freed: nothing is freed one by
 * one. Taking those bytes from chunks cuts five mallocs (and their frees)
 * a code object to a pointer bump. Not thread-safe: a pool belongs to one
 * code table, which the GIL guards (codemeta.h). */
#ifndef TP_TEXT_POOL_H
#define TP_TEXT_POOL_H

#include <stddef.h>

typedef struct tp_pool_chunk tp_pool_chunk;

typedef struct tp_text_pool {
    tp_pool_chunk *chunks;   /* newest first; the first one is being filled */
    size_t used;             /* bytes taken from the first chunk */
} tp_text_pool;

#define TP_TEXT_POOL_INIT {NULL, 0}

/* n bytes aligned for any pointer or integer, or NULL when out of memory. */
void *tp_pool_alloc(tp_text_pool *p, size_t n);
/* A NUL-terminated copy of the n bytes at s. */
char *tp_pool_strndup(tp_text_pool *p, const char *s, size_t n);
char *tp_pool_strdup(tp_text_pool *p, const char *s);
/* Frees every chunk; the pool is empty and usable again. */
void tp_pool_free(tp_text_pool *p);

#endif
