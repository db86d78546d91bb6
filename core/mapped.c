/* Growing mappings (mapped.h). Linux: mremap. */
#include "mapped.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

size_t tp_mapped_size(size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (bytes > SIZE_MAX - page)
        return 0;
    return (bytes + page - 1) / page * page;
}

void *tp_mapped_resize(void *old, size_t old_bytes, size_t new_bytes)
{
    size_t want = tp_mapped_size(new_bytes);
    if (want == 0)
        return NULL;
    void *p;
    if (!old)
        p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    else
        p = mremap(old, tp_mapped_size(old_bytes), want, MREMAP_MAYMOVE);
    return p == MAP_FAILED ? NULL : p;
}

void tp_mapped_free(void *block, size_t bytes)
{
    if (block)
        munmap(block, tp_mapped_size(bytes));
}

const tp_buf_memory tp_mapped_memory = {tp_mapped_resize, tp_mapped_free};
