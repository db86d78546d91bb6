/* core/deferred_value.c: floats and objects kept as their bytes inside a
 * recorded text come back as repr text, wherever they sit and whatever
 * their bytes (NUL and 0xFF among them); texts without one are left as
 * they are. The recording side (against tp_repr at every max_repr, and
 * classes renamed inside one window) is tested in
 * tests/unit/repr/test_repr_exact.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "deferred_value.h"

/* What the recording path writes: text, deferred floats and text, as
 * given, then the NUL that ends a recorded text. */
static void record(tp_buf *b, const char *before, double v, bool defer)
{
    tp_buf_puts(b, before);
    if (defer)
        cr_assert(tp_defer_float(v, 0, b), "%.17g not deferred", v);
}

static char *expanded_with(tp_buf *kept, const tp_buf *prefixes)
{
    tp_buf_append(kept, "", 1);
    tp_buf out = TP_BUF_INIT;
    tp_buf_puts(&out, "");
    tp_deferred_expand(kept->data, prefixes, &out);
    return out.data;   /* NUL-terminated: len > 0 */
}

static char *expanded(tp_buf *kept)
{
    return expanded_with(kept, NULL);
}

Test(deferred_value, floats_among_text_come_back_as_repr)
{
    tp_buf kept = TP_BUF_INIT;
    /* 0.5 is 00 00 00 00 00 00 e0 3f; 0.9999999999999999 is ff ff ff ff
     * ff ff ef 3f: NULs and markers inside the kept bytes */
    record(&kept, "a=", 0.5, true);
    record(&kept, ", b=", 0.9999999999999999, true);
    record(&kept, ", c=[1], d=", -0.30000000000000004, true);
    record(&kept, "", 1e-4, true);   /* two in a row */
    record(&kept, ", é=", 999999999999999.9, true);
    record(&kept, " tail", 0, false);
    size_t plain_len;
    cr_assert(tp_deferred_any(kept.data, &plain_len));
    char *got = expanded(&kept);
    cr_assert_str_eq(got, "a=0.5, b=0.9999999999999999, c=[1], d=-0.300000000000000040.0001, "
                          "é=999999999999999.9 tail");
    free(got);
    tp_buf_free(&kept);
}

Test(deferred_value, a_text_without_deferred_floats_is_unchanged)
{
    const char *text = "x=1.5, y='\\xff', z=<object at 0x7f>";
    size_t plain_len = 0;
    cr_assert_not(tp_deferred_any(text, &plain_len));
    cr_assert_eq(plain_len, strlen(text));
    tp_buf kept = TP_BUF_INIT;
    tp_buf_puts(&kept, text);
    char *got = expanded(&kept);
    cr_assert_str_eq(got, text);
    free(got);
    tp_buf_free(&kept);
}

Test(deferred_value, only_floats_that_float_text_prints_are_deferred)
{
    /* the ends: 1e-4 and the largest double that is not whole, 2^52 - 0.5 */
    const double kept[] = {1.5, -2.25, 1e-4, -1e-4, 0.1, 123456.789, 999999999999999.9,
                           4503599627370495.5, -4503599627370495.5};
    const double not_kept[] = {0.0, -0.0, 3.0, -1e15, 1e16, 9.99e-5, 9.999999999999999e-05,
                               -9.999999999999999e-05, 9007199254740992.0, 1e300, 5e-324,
                               __builtin_inf(), -__builtin_inf(), __builtin_nan(""),
                               -__builtin_nan("")};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        tp_buf b = TP_BUF_INIT;
        cr_assert(tp_defer_float(kept[i], 0, &b), "%.17g", kept[i]);
        tp_buf_free(&b);
    }
    for (size_t i = 0; i < sizeof not_kept / sizeof *not_kept; i++) {
        tp_buf b = TP_BUF_INIT;
        cr_assert_not(tp_defer_float(not_kept[i], 0, &b), "%.17g", not_kept[i]);
        cr_assert_eq(b.len, 0);
        tp_buf_free(&b);
    }
    /* a limit that could cut the longest text: written out at once instead */
    tp_buf b = TP_BUF_INIT;
    cr_assert_not(tp_defer_float(0.5, 22, &b));
    cr_assert(tp_defer_float(0.5, 23, &b));
    cr_assert_eq(b.len, TP_DEFERRED_FLOAT_BYTES);
    tp_buf_free(&b);
}

/* A store as a window fills it: prefixes with their NULs, one after the
 * other; the first at offset 0 (so the kept offset is four NUL bytes). */
Test(deferred_value, objects_come_back_with_their_prefix_and_address)
{
    tp_buf prefixes = TP_BUF_INIT;
    tp_buf_append(&prefixes, "<app.Vec object at 0x", sizeof "<app.Vec object at 0x");
    uint32_t second = (uint32_t)prefixes.len;
    tp_buf_append(&prefixes, "<app.Old.Name object at 0x", sizeof "<app.Old.Name object at 0x");
    tp_buf kept = TP_BUF_INIT;
    tp_buf_puts(&kept, "self=");
    tp_defer_object((const void *)(uintptr_t)0x7f00ff00ab10, 0, &kept);
    tp_buf_puts(&kept, ", other=");
    tp_defer_object((const void *)(uintptr_t)0xffffffffffffffffULL, second, &kept);
    tp_buf_puts(&kept, ", k=");
    tp_defer_float(0.5, 0, &kept);
    tp_defer_object((const void *)(uintptr_t)0x1, 0, &kept);
    char *got = expanded_with(&kept, &prefixes);
    cr_assert_str_eq(got, "self=<app.Vec object at 0x7f00ff00ab10>, "
                          "other=<app.Old.Name object at 0xffffffffffffffff>, "
                          "k=0.5<app.Vec object at 0x1>");
    free(got);
    tp_buf_free(&kept);
    tp_buf_free(&prefixes);
}
