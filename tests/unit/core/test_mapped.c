/* core/mapped.c: node arrays that grow by mremap keep what they hold. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "mapped.h"

Test(mapped, sizes_are_whole_pages)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    cr_assert_eq(tp_mapped_size(1), page);
    cr_assert_eq(tp_mapped_size(page), page);
    cr_assert_eq(tp_mapped_size(page + 1), 2 * page);
    cr_assert_eq(tp_mapped_size(SIZE_MAX), 0, "too big says so instead of wrapping");
}

Test(mapped, growing_keeps_contents_and_new_bytes_are_zero)
{
    size_t bytes = 1000;
    uint32_t *a = tp_mapped_resize(NULL, 0, bytes);
    cr_assert_not_null(a);
    for (size_t i = 0; i < bytes / 4; i++)
        a[i] = (uint32_t)i * 2654435761u;
    /* Doublings up to 64 MiB: mremap moves the block at some point. */
    for (int step = 0; step < 16; step++) {
        size_t more = bytes * 2;
        uint32_t *b = tp_mapped_resize(a, bytes, more);
        cr_assert_not_null(b, "resize %zu -> %zu", bytes, more);
        for (size_t i = 0; i < bytes / 4; i += 1 + i / 64)
            cr_assert_eq(b[i], (uint32_t)i * 2654435761u, "element %zu after growing to %zu", i, more);
        for (size_t i = tp_mapped_size(bytes) / 4; i < more / 4; i += 997)
            cr_assert_eq(b[i], 0, "new element %zu", i);
        for (size_t i = bytes / 4; i < more / 4; i++)
            b[i] = (uint32_t)i * 2654435761u;
        a = b;
        bytes = more;
    }
    tp_mapped_free(a, bytes);
    tp_mapped_free(NULL, 0);
}

Test(mapped, an_impossible_size_fails_and_leaves_the_block)
{
    char *a = tp_mapped_resize(NULL, 0, 10);
    cr_assert_not_null(a);
    memcpy(a, "kept", 5);
    cr_assert_null(tp_mapped_resize(a, 10, SIZE_MAX - 10));
    cr_assert_str_eq(a, "kept");
    tp_mapped_free(a, 10);
}

/* A tp_buf on mapped memory (the per-thread text arenas): appends across
 * many growths keep every byte, and the block is unmapped at the size it
 * has (a wrong size would leave pages mapped, which /proc/self/maps shows). */
static size_t mapped_bytes_at(const void *p)
{
    FILE *f = fopen("/proc/self/maps", "r");
    cr_assert_not_null(f);
    unsigned long lo, hi;
    size_t found = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && (uintptr_t)p >= lo && (uintptr_t)p < hi)
            found = hi - lo;
    }
    fclose(f);
    return found;
}

Test(mapped, a_buf_on_mapped_memory_grows_keeps_and_frees)
{
    tp_buf b = TP_BUF_INIT;
    b.memory = &tp_mapped_memory;
    char piece[37];
    for (size_t k = 0; k < 100000; k++) {
        int n = snprintf(piece, sizeof piece, "%zu;", k);
        tp_buf_append(&b, piece, (size_t)n);
    }
    cr_assert(!b.failed);
    cr_assert_geq(mapped_bytes_at(b.data), b.cap, "the data is a mapping of its own");
    size_t at = 0;
    for (size_t k = 0; k < 100000; k++) {
        int n = snprintf(piece, sizeof piece, "%zu;", k);
        cr_assert(memcmp(b.data + at, piece, (size_t)n) == 0, "piece %zu", k);
        at += (size_t)n;
    }
    cr_assert_eq(at, b.len);
    cr_assert_eq(b.data[b.len], '\0');
    char *data = b.data;
    size_t held = b.held;
    tp_buf_free(&b);
    cr_assert_null(b.data);
    cr_assert_eq(mapped_bytes_at(data), 0, "all %zu bytes were unmapped", held);
}

/* Whether the VmFlags line of /proc/self/smaps for the mapping holding p
 * names `flag` (two letters, space-separated). */
static bool mapping_has_flag(const void *p, const char *flag)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    cr_assert_not_null(f);
    unsigned long lo, hi;
    bool inside = false, found = false;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {   /* a mapping's first line */
            inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            for (char *tok = strtok(line + 8, " \n"); tok; tok = strtok(NULL, " \n"))
                found = found || strcmp(tok, flag) == 0;
        }
    }
    fclose(f);
    return found;
}

/* Big mappings ask for huge pages (a fault a 2 MiB page, not a 4 KiB one),
 * also after mremap moved them; small ones do not, so a short window's
 * memory is what it fills. Where the kernel has no transparent huge pages
 * the hint is refused and growing still works. */
Test(mapped, big_mappings_ask_for_huge_pages)
{
    bool thp = access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
    char *small = tp_mapped_resize(NULL, 0, 64 << 10);
    cr_assert_not_null(small);
    cr_assert(!mapping_has_flag(small, "hg"), "64 KiB asks for no huge pages");
    char *big = tp_mapped_resize(small, 64 << 10, 4 << 20);
    cr_assert_not_null(big);
    cr_assert_eq(mapping_has_flag(big, "hg"), thp, "4 MiB asks for huge pages (THP: %d)", thp);
    char *bigger = tp_mapped_resize(big, 4 << 20, 64 << 20);
    cr_assert_not_null(bigger);
    cr_assert_eq(mapping_has_flag(bigger, "hg"), thp, "64 MiB too, wherever mremap put it");
    tp_mapped_free(bigger, 64 << 20);
}
