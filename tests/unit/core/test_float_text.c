/* core/float_text.c on its own (the comparison with repr() of hundreds of
 * thousands of doubles is in tests/unit/repr/test_repr_exact.c): the texts
 * of a few known values, and what it leaves to dtoa. */
#include <criterion/criterion.h>
#include <math.h>

#include "float_text.h"

static void expect(double v, const char *want)
{
    char text[TP_FLOAT_TEXT_MAX];
    size_t n = tp_float_text_fixed(v, text);
    cr_assert_eq(n, strlen(want), "%.17g: length %zu, text %s", v, n, n ? text : "(none)");
    cr_assert_str_eq(text, want);
}

static void left_to_dtoa(double v)
{
    char text[TP_FLOAT_TEXT_MAX];
    cr_assert_eq(tp_float_text_fixed(v, text), 0, "%.17g should be left to dtoa", v);
}

Test(float_text, known_values)
{
    expect(0.1, "0.1");
    expect(0.1 + 0.2, "0.30000000000000004");
    expect(-2.5, "-2.5");
    expect(1e-4, "0.0001");
    expect(123456.789, "123456.789");
    expect(1.0 / 3, "0.3333333333333333");
    expect(1125899906842624.25, "1125899906842624.2");   /* a tie: the even digit */
    expect(4503599627370495.5, "4503599627370495.5");
    expect(9007199254740991.0 / 2, "4503599627370495.5");
}

Test(float_text, other_values_are_left_to_dtoa)
{
    left_to_dtoa(0.0);
    left_to_dtoa(-0.0);
    left_to_dtoa(42.0);          /* whole: the caller prints those */
    left_to_dtoa(9.999999999999999e-05);
    left_to_dtoa(1e16);
    left_to_dtoa(1e300);
    left_to_dtoa(5e-324);
    left_to_dtoa(INFINITY);
    left_to_dtoa(NAN);
}
