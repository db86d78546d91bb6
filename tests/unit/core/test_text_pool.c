/* core/text_pool.c: every block keeps its bytes until the pool is freed,
 * whatever came after it; blocks are aligned; a large block does not end
 * the chunk being filled. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text_pool.h"

Test(text_pool, strings_keep_their_bytes_across_many_chunks)
{
    tp_text_pool pool = TP_TEXT_POOL_INIT;
    enum { N = 5000 };
    static char *kept[N];
    char text[64];
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "module%d.Class.method_%d", i % 37, i);
        kept[i] = tp_pool_strdup(&pool, text);
        cr_assert_not_null(kept[i]);
    }
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "module%d.Class.method_%d", i % 37, i);
        cr_assert_str_eq(kept[i], text, "string %d", i);
    }
    tp_pool_free(&pool);
    cr_assert_null(pool.chunks);
    cr_assert_eq(pool.used, 0);
}

Test(text_pool, blocks_are_aligned_and_apart)
{
    tp_text_pool pool = TP_TEXT_POOL_INIT;
    char *prev = NULL;
    size_t prev_n = 0;
    for (size_t n = 1; n < 300; n += 7) {
        char *p = tp_pool_alloc(&pool, n);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 8, 0, "block of %zu at %p", n, (void *)p);
        memset(p, (int)(n & 0xFF), n);
        if (prev)   /* the block before still holds its own bytes */
            for (size_t i = 0; i < prev_n; i++)
                cr_assert_eq((unsigned char)prev[i], (unsigned char)(prev_n & 0xFF));
        prev = p;
        prev_n = n;
    }
    tp_pool_free(&pool);
}

Test(text_pool, strndup_ends_the_copy)
{
    tp_text_pool pool = TP_TEXT_POOL_INIT;
    char *s = tp_pool_strndup(&pool, "module.name", 6);
    cr_assert_str_eq(s, "module");
    char *empty = tp_pool_strndup(&pool, "", 0);
    cr_assert_str_eq(empty, "");
    tp_pool_free(&pool);
}

Test(text_pool, a_large_block_leaves_the_chunk_being_filled)
{
    tp_text_pool pool = TP_TEXT_POOL_INIT;
    char *a = tp_pool_alloc(&pool, 16);
    char *big = tp_pool_alloc(&pool, 100000);
    char *b = tp_pool_alloc(&pool, 16);
    cr_assert_not_null(big);
    memset(big, 'x', 100000);
    cr_assert_eq(b, a + 16, "the small block after a large one continues the chunk");
    cr_assert_eq(big[99999], 'x');
    tp_pool_free(&pool);
}

Test(text_pool, a_freed_pool_is_usable_again)
{
    tp_text_pool pool = TP_TEXT_POOL_INIT;
    cr_assert_not_null(tp_pool_strdup(&pool, "first"));
    tp_pool_free(&pool);
    char *s = tp_pool_strdup(&pool, "second");
    cr_assert_str_eq(s, "second");
    tp_pool_free(&pool);
}
