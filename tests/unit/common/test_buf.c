/* common/buf.c: appends of every size keep the text NUL-terminated, and a
 * failed allocation turns later appends into no-ops until a reset. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

Test(buf, appends_of_every_size_grow_and_stay_terminated)
{
    tp_buf b = TP_BUF_INIT;
    char want[5000];
    size_t len = 0;
    for (size_t n = 0; len + n < sizeof want; n++) {
        char piece[64];
        for (size_t i = 0; i < n % 40; i++)
            piece[i] = (char)('a' + (len + i) % 26);
        tp_buf_append(&b, piece, n % 40);
        memcpy(want + len, piece, n % 40);
        len += n % 40;
        cr_assert_eq(b.len, len);
        cr_assert_eq(memcmp(b.data ? b.data : "", want, len), 0, "after %zu bytes", len);
        cr_assert(len == 0 || b.data[len] == '\0', "not terminated at %zu", len);
    }
    tp_buf_free(&b);
}

Test(buf, a_failed_buffer_ignores_appends_until_reset)
{
    tp_buf b = TP_BUF_INIT;
    tp_buf_puts(&b, "kept");
    cr_assert_not(tp_buf_reserve(&b, SIZE_MAX / 2 + 1), "an impossible size fails");
    cr_assert(b.failed);
    tp_buf_puts(&b, "x");   /* the inline path: must not write */
    tp_buf_append(&b, "a longer piece of text than sixteen bytes", 41);
    cr_assert_str_eq(tp_buf_cstr(&b), "kept");
    cr_assert_eq(b.len, 4);
    tp_buf_reset(&b);
    cr_assert_not(b.failed);
    tp_buf_puts(&b, "again");
    cr_assert_str_eq(tp_buf_cstr(&b), "again");
    tp_buf_free(&b);
}

/* A padded text goes in with one 16-byte move where the room allows and
 * through the ordinary append where not: either way exactly its n bytes,
 * the NUL after them, and the buffer grows when it must. */
Test(buf, padded_texts_append_their_bytes_and_a_nul)
{
    char padded[TP_BUF_PADDED + 1] = "x=";   /* NULs after "x=" */
    char want[4096];
    size_t want_len = 0;
    tp_buf b = TP_BUF_INIT;
    for (int i = 0; i < 500; i++)   /* stale bytes where the NULs must go */
        tp_buf_append(&b, "ZZZZZZZZ", 8);
    tp_buf_reset(&b);
    for (int i = 0; i < 400; i++) {
        size_t n = 1 + (size_t)(i % (TP_BUF_PADDED - 1));   /* 1..15 */
        memset(padded, 'a' + i % 26, n);
        memset(padded + n, 0, sizeof padded - n);
        tp_buf_append_padded(&b, padded, n);
        memcpy(want + want_len, padded, n);
        want_len += n;
        cr_assert_eq(b.len, want_len, "append %d", i);
        cr_assert_eq(b.data[b.len], '\0', "append %d: no NUL after the bytes", i);
        cr_assert_eq(memcmp(b.data, want, want_len), 0, "append %d", i);
    }
    cr_assert(!b.failed);
    tp_buf_free(&b);
}
