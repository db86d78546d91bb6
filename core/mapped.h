/* Arrays that grow without copying: the per-thread node arrays and texts live in
 * private anonymous mappings that mremap grows in place or moves. realloc
 * would copy every node recorded so far at each doubling below glibc's mmap
 * threshold, hold the old and the new copy at once, and, freed, move that
 * threshold for the app's own allocations. */
#ifndef TP_MAPPED_H
#define TP_MAPPED_H

#include <stddef.h>

#include "buf.h"

/* The bytes a block of at least `bytes` really takes: whole pages. */
size_t tp_mapped_size(size_t bytes);

/* Makes `old` (a block of old_bytes, or NULL and 0) a block of at least
 * new_bytes, keeping its contents; new pages read as zero. Returns the
 * block, or NULL with `old` untouched. */
void *tp_mapped_resize(void *old, size_t old_bytes, size_t new_bytes);

/* Frees a block of `bytes` (as asked for; NULL is ignored). */
void tp_mapped_free(void *block, size_t bytes);

/* For a tp_buf that grows the same way (the per-thread text arenas). */
extern const tp_buf_memory tp_mapped_memory;

#endif
