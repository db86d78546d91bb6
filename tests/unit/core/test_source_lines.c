/* core/source_lines.c: the line text of a line-mode step, and the text of
 * one statement of a multi-statement line, cut by the byte columns that
 * Python's ast gives (indentation counted, UTF-8 bytes). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source_lines.h"

static char path[] = "/tmp/tp-source-lines-XXXXXX";

static void write_source(void)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    static const char text[] =
        "def f():\n"
        "    a = 1; b = 2; c = a + b\n"
        "    s = '\xc3\xa9t\xc3\xa9'; t = s  \r\n"
        "    return c";
    cr_assert(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
}

static void remove_source(void)
{
    unlink(path);
}

static void expect(const char *got, size_t len, const char *want)
{
    cr_assert_eq(len, strlen(want), "got %.*s, want %s", (int)len, got, want);
    cr_assert(memcmp(got, want, len) == 0, "got %.*s, want %s", (int)len, got, want);
}

static void expect_line(tp_source_cache *c, const char *file, int line, const char *want)
{
    size_t len;
    const char *got = tp_source_line(c, file, line, &len);
    expect(got, len, want);
}

static void expect_cols(tp_source_cache *c, const char *file, int line, size_t col, size_t end,
                        const char *want)
{
    size_t len;
    const char *got = tp_source_cols(c, file, line, col, end, &len);
    expect(got, len, want);
}

TestSuite(source_lines, .init = write_source, .fini = remove_source);

Test(source_lines, line_without_indentation_or_end)
{
    tp_source_cache c = {0};
    expect_line(&c, path, 2, "a = 1; b = 2; c = a + b");
    expect_line(&c, path, 4, "return c");
    expect_line(&c, path, 5, "");
    tp_source_cache_free(&c);
}

/* Statements by their columns, and columns that do not fit the line. */
static const struct cols_case {
    int line;
    size_t col, end;
    const char *want;
} cols_cases[] = {
    {2, 4, 9, "a = 1"},
    {2, 11, 16, "b = 2"},
    {2, 18, 27, "c = a + b"},
    {3, 4, 15, "s = '\xc3\xa9t\xc3\xa9'"},   /* columns are bytes: 'été' is 5 */
    {3, 17, 22, "t = s"},
    {2, 11, 200, ""},
    {2, 9, 9, ""},
    {9, 0, 3, ""},
};

Test(source_lines, statement_by_columns)
{
    tp_source_cache c = {0};
    for (size_t i = 0; i < sizeof cols_cases / sizeof cols_cases[0]; i++) {
        const struct cols_case *k = &cols_cases[i];
        expect_cols(&c, path, k->line, k->col, k->end, k->want);
    }
    expect_cols(&c, "/nonexistent/x.py", 1, 0, 3, "");
    tp_source_cache_free(&c);
}
