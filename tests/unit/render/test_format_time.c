/* The elapsed formatting at each unit boundary. */
#include "format_time.h"

#include <criterion/criterion.h>
#include <math.h>

static void expect_elapsed(double ms, const char *want)
{
    char got[64];
    tp_format_elapsed(ms, got, sizeof got);
    cr_expect_str_eq(got, want, "%.6f ms", ms);
}

Test(format_time, microseconds_round_to_nearest)
{
    expect_elapsed(0, "0us");
    expect_elapsed(0.0004, "0us");
    expect_elapsed(0.0006, "1us");
    expect_elapsed(0.5, "500us");
    expect_elapsed(0.9994, "999us");
}

Test(format_time, rounding_up_to_a_millisecond_changes_unit)
{
    expect_elapsed(0.9996, "1.00ms");
    expect_elapsed(1.0, "1.00ms");
    expect_elapsed(1.234, "1.23ms");
    expect_elapsed(1.235001, "1.24ms");
}

Test(format_time, milliseconds_up_to_a_second)
{
    expect_elapsed(999.99, "999.99ms");
    expect_elapsed(999.994, "999.99ms");
    expect_elapsed(999.996, "1.000s");
    expect_elapsed(1000.0, "1.000s");
}

Test(format_time, seconds)
{
    expect_elapsed(1500.25, "1.500s");
    expect_elapsed(61234.5, "61.235s");
    expect_elapsed(3600000.0, "3600.000s");
}

Test(format_time, odd_values_do_not_break)
{
    expect_elapsed(-2.5, "-2.50ms");
    expect_elapsed(NAN, "?");
    expect_elapsed(1e15, "1000000000000s");
}
