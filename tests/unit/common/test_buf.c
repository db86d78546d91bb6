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
