/* Preloaded by the idle measurement into both runs of a pair (plain and
 * ours): reserves TPBENCH_MMAP_PAGES pages of address space before Python
 * starts, which moves every later mapping (the interpreter's arenas, our
 * core) by that much. Under valgrind every run of one environment gets the
 * same addresses, and which names share a slot of CPython's type attribute
 * cache, or how its allocator's pools fill, depends on them: so the idle
 * ratio is averaged over pairs that each get a shift of their own, as
 * address-space randomisation would give outside valgrind. Pure C, no
 * Python; the reservation is never touched (no memory used). */
#include <stdlib.h>
#include <sys/mman.h>

__attribute__((constructor)) static void shift_later_mappings(void)
{
    const char *pages = getenv("TPBENCH_MMAP_PAGES");
    long n = pages ? atol(pages) : 0;
    if (n > 0 && n < 1 << 20)
        (void)mmap(NULL, (size_t)n * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
}
