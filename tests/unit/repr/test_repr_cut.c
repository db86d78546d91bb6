/* max_chars: a cut value has exactly max_chars code points, ends with "...",
 * is the start of the full repr, is valid UTF-8, and costs O(max_chars). */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repr_test_util.h"

TestSuite(repr_cut, .init = repr_test_python_start, .fini = repr_test_python_stop);

static void assert_cut_correctly(PyObject *v, const char *full, size_t limit)
{
    size_t full_len = count_code_points(full);
    char *out = render(v, limit, false);
    cr_assert(is_valid_utf8(out), "invalid UTF-8 at limit %zu: %s", limit, out);
    if (full_len <= limit) {
        cr_assert_str_eq(out, full, "limit %zu", limit);
        free(out);
        return;
    }
    cr_assert_eq(count_code_points(out), limit, "limit %zu gave %s", limit, out);
    size_t dots = limit < 3 ? limit : 3;
    size_t kept = limit - dots;
    cr_assert_eq(strcmp(out + strlen(out) - dots, "..." + (3 - dots)), 0, "no dots: %s", out);
    char *want_start = first_code_points(full, kept);
    char *got_start = first_code_points(out, kept);
    cr_assert_str_eq(got_start, want_start, "limit %zu: %s is not the start of %s", limit, out, full);
    free(want_start);
    free(got_start);
    free(out);
}

Test(repr_cut, every_limit_keeps_the_start_and_ends_with_dots)
{
    PyObject *list = eval_python("values.generate(7, 1500)");
    srand(7);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *v = PyList_GET_ITEM(list, i);
        char *full = render(v, 0, false);
        size_t n = count_code_points(full);
        size_t limits[] = {1, 2, 3, 4, 5, 6, n > 1 ? n - 1 : 1, n, n + 1,
                           1 + (size_t)rand() % (n + 1), 1 + (size_t)rand() % (n + 1)};
        for (size_t k = 0; k < sizeof limits / sizeof *limits; k++)
            assert_cut_correctly(v, full, limits[k]);
        free(full);
    }
    Py_DECREF(list);
}

Test(repr_cut, multibyte_characters_are_never_split)
{
    PyObject *v = eval_python("'\\xe9\\u20ac\\U0001f600' * 50");
    char *full = render(v, 0, false);
    for (size_t limit = 1; limit < 160; limit++)
        assert_cut_correctly(v, full, limit);
    free(full);
    Py_DECREF(v);
}

Test(repr_cut, zero_means_no_limit)
{
    PyObject *v = eval_python("'y' * 100000");
    char *out = render(v, 0, false);
    cr_assert_eq(strlen(out), 100002);
    free(out);
    Py_DECREF(v);
}

static double seconds_now(void)
{
    struct timespec ts;
    cr_assert_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 2000 renders of a 64 MB value: reading it even once per render would take
 * minutes; O(max_chars) takes milliseconds. The bound is generous. */
static void assert_cheap_to_render(const char *expr, const char *expected_start)
{
    PyObject *v = eval_python(expr);
    double start = seconds_now();
    for (int i = 0; i < 2000; i++) {
        char *out = render(v, 120, false);
        cr_assert_eq(count_code_points(out), 120);
        cr_assert_eq(strncmp(out, expected_start, strlen(expected_start)), 0, "%s", out);
        free(out);
    }
    double elapsed = seconds_now() - start;
    cr_assert_lt(elapsed, 2.0, "%s: 2000 renders took %.2f s", expr, elapsed);
    Py_DECREF(v);
}

Test(repr_cut, huge_values_cost_only_what_is_shown)
{
    assert_cheap_to_render("'x' * (64 << 20) + '\\''", "'xxxxx");
    assert_cheap_to_render("'\\u20ac' * (16 << 20)", "'\xE2\x82\xAC\xE2\x82\xAC");
    assert_cheap_to_render("'\\u200b' * (16 << 20)", "'\\u200b\\u200b");
    assert_cheap_to_render("'\\U0001f600' * (16 << 20)", "'\xF0\x9F\x98\x80");
    assert_cheap_to_render("b'\\x00' * (64 << 20)", "b'\\x00");
    assert_cheap_to_render("[0] * (8 << 20)", "[0, 0, ");
    assert_cheap_to_render("dict.fromkeys(range(1 << 20))", "{0: None, 1: None");
    assert_cheap_to_render("set(range(1 << 20))", "{0, 1, 2");
    assert_cheap_to_render("(('a' * (16 << 20),),)", "(('aaaa");
}

Test(repr_cut, exception_text_is_bounded)
{
    PyObject *exc = eval_python("ValueError('\\u20ac' * 1000)");
    for (size_t limit = 1; limit < 40; limit++) {
        char *out = render_exception(exc, limit, false);
        cr_assert_eq(count_code_points(out), limit);
        cr_assert(is_valid_utf8(out));
        if (limit >= 3)
            cr_assert_eq(strcmp(out + strlen(out) - 3, "..."), 0);
        free(out);
    }
    Py_DECREF(exc);
}
