/* Growing mappings (mapped.h). Linux: mremap. */
#include "mapped.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* From this size a mapping asks for transparent huge pages: a window that
 * records a few hundred thousand calls fills megabytes, and each 4 KiB
 * page's first touch is a fault (~0.1-0.3 us on bare metal, ~10 us on
 * some virtual machines, where it was half of a traced fib's wall time);
 * one fault a 2 MiB page instead. Smaller mappings stay in small pages, so
 * a short window takes no more memory than it fills. */
#define HUGE_PAGE_BYTES ((size_t)2 << 20)

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
    if (p == MAP_FAILED)
        return NULL;
    if (want >= HUGE_PAGE_BYTES)
        (void)madvise(p, want, MADV_HUGEPAGE);   /* a hint: refused is fine */
    return p;
}

void tp_mapped_free(void *block, size_t bytes)
{
    if (block)
        munmap(block, tp_mapped_size(bytes));
}

const tp_buf_memory tp_mapped_memory = {tp_mapped_resize, tp_mapped_free};
