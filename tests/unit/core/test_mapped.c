/* core/mapped.c: node arrays that grow by mremap keep what they hold. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
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
