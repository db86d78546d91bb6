#include "text_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 16 KiB holds the names and parameters of ~100 functions. */
#define CHUNK_BYTES 16384
#define ALIGN 8

struct tp_pool_chunk {
    tp_pool_chunk *next;
    size_t size;                 /* bytes in data */
    _Alignas(ALIGN) char data[];
};

static tp_pool_chunk *new_chunk(size_t size)
{
    tp_pool_chunk *c = malloc(sizeof *c + size);
    if (c)
        c->size = size;
    return c;
}

void *tp_pool_alloc(tp_text_pool *p, size_t n)
{
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    tp_pool_chunk *head = p->chunks;
    if (head && n <= head->size - p->used) {
        void *out = head->data + p->used;
        p->used += n;
        return out;
    }
    /* A large block gets a chunk of its own behind the one being filled,
     * whose room stays for the small ones. */
    if (head && n > CHUNK_BYTES / 4) {
        tp_pool_chunk *c = new_chunk(n);
        if (!c)
            return NULL;
        c->next = head->next;
        head->next = c;
        return c->data;
    }
    tp_pool_chunk *c = new_chunk(n > CHUNK_BYTES ? n : CHUNK_BYTES);
    if (!c)
        return NULL;
    c->next = head;
    p->chunks = c;
    p->used = n;
    return c->data;
}

char *tp_pool_strndup(tp_text_pool *p, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *out = tp_pool_alloc(p, n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

char *tp_pool_strdup(tp_text_pool *p, const char *s)
{
    return tp_pool_strndup(p, s, strlen(s));
}

void tp_pool_free(tp_text_pool *p)
{
    tp_pool_chunk *c = p->chunks;
    while (c) {
        tp_pool_chunk *next = c->next;
        free(c);
        c = next;
    }
    p->chunks = NULL;
    p->used = 0;
}
