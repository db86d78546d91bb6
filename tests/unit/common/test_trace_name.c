/* Trace file names: sortable by time, label reduced, never colliding
 * across processes. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace_name.h"

static struct timespec at(time_t secs, long usec)
{
    struct timespec t = {secs, usec * 1000};
    return t;
}

static char *name_for(const struct timespec *t, const char *label, pid_t pid)
{
    tp_buf b = TP_BUF_INIT;
    tp_trace_file_name(&b, t, label, pid);
    char *copy = strdup(tp_buf_cstr(&b));
    tp_buf_free(&b);
    return copy;
}

static void setup_utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

TestSuite(trace_name, .init = setup_utc);

Test(trace_name, fields_in_order)
{
    struct timespec t = at(1795306255, 123456);   /* 2026-11-22 00:10:55 UTC */
    char *n = name_for(&t, NULL, 1234);
    cr_assert_str_eq(n, "trace_20261122_001055_123456_1234.json");
    free(n);
}

Test(trace_name, microseconds_zero_padded)
{
    struct timespec t = at(1795306255, 42);
    char *n = name_for(&t, "", 7);
    cr_assert_str_eq(n, "trace_20261122_001055_000042_7.json");
    free(n);
}

Test(trace_name, label_reduced_to_safe_characters)
{
    struct timespec t = at(1795306255, 1);
    char *n = name_for(&t, "nightly run/../é-x_1", 99);
    cr_assert_str_eq(n, "trace_20261122_001055_000001_nightly_run_____-x_1_99.json",
                     "got %s", n);
    free(n);
}

Test(trace_name, label_cut_at_64)
{
    char label[200];
    memset(label, 'a', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    struct timespec t = at(1795306255, 1);
    char *n = name_for(&t, label, 5);
    const char *start = strchr(n + strlen("trace_20261122_001055_000001"), 'a');
    cr_assert_not_null(start);
    cr_assert_eq(strspn(start, "a"), 64);
    free(n);
}

Test(trace_name, names_sort_by_time)
{
    struct timespec a = at(1795306255, 999999), b = at(1795306256, 0);
    char *x = name_for(&a, NULL, 99999), *y = name_for(&b, NULL, 1);
    cr_assert_lt(strcmp(x, y), 0);
    free(x);
    free(y);
}

Test(trace_name, iso_timestamp)
{
    struct timespec t = at(1795306255, 123456);
    tp_buf b = TP_BUF_INIT;
    tp_iso_timestamp(&b, &t);
    cr_assert_str_eq(tp_buf_cstr(&b), "2026-11-22T00:10:55.123456");
    tp_buf_free(&b);
}
