/* The TOML subset: syntax accepted, and every malformed form giving one
 * report and going on. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void init_env(void)
{
    fake_env_clear();
}

TestSuite(toml, .init = init_env);

typedef struct loaded {
    tp_config cfg;
    reports r;
    char *dir;
} loaded;

static void load(loaded *l, const char *toml)
{
    memset(l, 0, sizeof *l);
    l->dir = load_toml(&l->cfg, &l->r, toml);
}

static void unload(loaded *l)
{
    tp_config_free(&l->cfg);
    reports_free(&l->r);
    remove_tree(l->dir);
    free(l->dir);
}

Test(toml, comments_blanks_and_crlf)
{
    loaded l;
    load(&l, "# top comment\r\n\r\n   \t\nmax_depth = 7   # trailing; comment\r\n"
             "  max_calls=9#tight\n");
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_eq(l.cfg.max_depth, 7);
    cr_assert_eq(l.cfg.max_calls, 9);
    unload(&l);
}

Test(toml, strings_keep_special_characters)
{
    loaded l;
    load(&l, "cache_dir = \"a;b #c = d\\\" \\\\ \\t\\u00e9\"\n"
             "default_label = 'C:\\raw;#'\n");
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_str_eq(l.cfg.cache_dir, "a;b #c = d\" \\ \t\xc3\xa9");
    cr_assert_str_eq(l.cfg.default_label, "C:\\raw;#");
    unload(&l);
}

Test(toml, long_values_survive_inih_line_limit)
{
    char path[1500];
    memset(path, 'x', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    for (size_t i = 0; i < sizeof path - 1; i += 7)
        path[i] = ';';   /* escaped: each takes three bytes on the wire */
    char *toml;
    cr_assert(asprintf(&toml, "cache_dir = \"%s\"\nmax_depth = 3\n", path) > 0);
    loaded l;
    load(&l, toml);
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_str_eq(l.cfg.cache_dir, path);
    cr_assert_eq(l.cfg.max_depth, 3);
    unload(&l);
    free(toml);
}

Test(toml, multi_line_arrays)
{
    loaded l;
    load(&l, "ignore_modules = [\n"
             "    \"a\",   # first\n"
             "\n"
             "    'b.c', \"d\",\n"
             "]\n"
             "include_modules = [ ]\n"
             "redact = [\"x\",\n\"y\"]\n"
             "max_depth = 4\n");
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_eq(l.cfg.ignore_modules.n, 3);
    cr_assert_str_eq(l.cfg.ignore_modules.items[0], "a");
    cr_assert_str_eq(l.cfg.ignore_modules.items[1], "b.c");
    cr_assert_str_eq(l.cfg.ignore_modules.items[2], "d");
    cr_assert_eq(l.cfg.include_modules.n, 0);
    cr_assert_eq(l.cfg.redact.n, 2);
    char *origin = origin_of(&l.cfg, "include_modules");
    cr_assert_str_eq(origin, "tracepatch.toml:6", "include_modules = [] is a value");
    free(origin);
    cr_assert_eq(l.cfg.max_depth, 4);
    unload(&l);
}

/* `toml` has exactly one problem on line `line` mentioning `expect`, and
 * `max_calls = 77` somewhere after it must still apply. */
static void check_one_problem(const char *toml, const char *expect)
{
    loaded l;
    load(&l, toml);
    cr_assert_eq(l.r.n, 1, "expected one report for %s, got %d: %s / %s", toml, l.r.n,
                 l.r.n > 0 ? l.r.lines[0] : "", l.r.n > 1 ? l.r.lines[1] : "");
    cr_assert(strstr(l.r.lines[0], expect), "%s", l.r.lines[0]);
    cr_assert(strncmp(l.r.lines[0], "tracepatch.toml:", 16) == 0, "%s", l.r.lines[0]);
    cr_assert_eq(l.cfg.max_calls, 77, "loading must go on after: %s", toml);
    unload(&l);
}

Test(toml, malformed_forms)
{
    check_one_problem("ignore_modules = [\n  \"a\",\n  \"b\"\nmax_calls = 77\n",
                      "tracepatch.toml:1: ignore_modules: unterminated array");
    check_one_problem("max_calls = 77\nignore_modules = [\"a\",\n", "unterminated array");
    check_one_problem("cache_dir = \"abc\nmax_calls = 77\n", "tracepatch.toml:1: cache_dir: unterminated string");
    check_one_problem("ignore_modules = [\"a\", \"b]\nmax_calls = 77\n", "unterminated string");
    check_one_problem("cache_dir = 'abc\nmax_calls = 77\n", "unterminated string");
    check_one_problem("cache_dir = \"a\\qb\"\nmax_calls = 77\n", "invalid escape");
    check_one_problem("cache_dir = \"a\\ud800\"\nmax_calls = 77\n", "invalid escape");
    /* A backslash at the end of the line: the next line is still a line
     * (it used to be swallowed into the string, and every later line
     * number was one too low). */
    check_one_problem("cache_dir = \"abc\\\nmax_calls = 77\n", "tracepatch.toml:1: cache_dir: invalid escape");
    check_one_problem("max_depth 5\nmax_calls = 77\n", "max_depth: expected `=` after the key");
    check_one_problem("max_depth =\nmax_calls = 77\n", "missing value");
    check_one_problem("max_depth = 5 6\nmax_calls = 77\n", "unexpected text after the value");
    check_one_problem("\"max_depth\" = 5\nmax_calls = 77\n", "quoted keys are not supported");
    check_one_problem("= 5\nmax_calls = 77\n", "expected `key = value`");
    check_one_problem("cache_dir = \"\"\"a\nb\"\"\"\nmax_calls = 77\n", "multi-line strings are not supported");
    check_one_problem("cache_dir = { a = 1 }\nmax_calls = 77\n", "inline tables are not supported");
    check_one_problem("redact = [[\"a\"], \"b\"]\nmax_calls = 77\n", "nested arrays are not supported");
    check_one_problem("redact = [\"a\" \"b\"]\nmax_calls = 77\n", "expected `,` or `]`");
    check_one_problem("redact = [,\"a\"]\nmax_calls = 77\n", "expected an array element");
    check_one_problem("no_such_key = 1\nmax_calls = 77\n", "tracepatch.toml:1: no_such_key: unknown key");
    check_one_problem("[tracepatch\nmax_calls = 77\n", "malformed table header");
    check_one_problem("max_calls = 5\nmax_calls = 77\n", "tracepatch.toml:2: max_calls: duplicate key (also set on line 1)");
    check_one_problem("cache_dir = \"a\x01b\"\nmax_calls = 77\n", "control character");
}

/* A nested array is skipped alone: the outer array, and the lines after
 * it, are read on (the skip used to run to the end of the line and take
 * the next line for the array's elements, silently). */
Test(toml, nested_array_skipped_alone)
{
    loaded l;
    load(&l, "include_modules = [[\"a\"]]\n\"max_repr\" = 5\nmax_calls = 77\n");
    cr_assert_eq(l.r.n, 2, "%d reports: %s", l.r.n, l.r.n ? l.r.lines[0] : "");
    cr_assert(strstr(l.r.lines[0], "tracepatch.toml:1: include_modules: nested arrays"), "%s", l.r.lines[0]);
    cr_assert(strstr(l.r.lines[1], "tracepatch.toml:2: quoted keys are not supported"), "%s", l.r.lines[1]);
    cr_assert_eq(l.cfg.max_calls, 77);
    unload(&l);
    check_one_problem("include_modules = [[\"a\",\n  \"c\"], \"b\"]\nmax_calls = 77\n", "nested arrays");
    check_one_problem("include_modules = [[\"a\"\nmax_calls = 77\n", "nested arrays");
}

Test(toml, tracepatch_table_and_foreign_tables)
{
    loaded l;
    load(&l, "max_depth = 3\n"
             "[tracepatch]\n"
             "max_calls = 12\n"
             "[[test.files]]\n"
             "name = \"x\"\n"
             "max_calls = 999\n"
             "weird = { a = [1, [2]], b = \"\"\"\n[tracepatch]\nmax_depth = 1\n\"\"\" }\n"
             "[test]\n"
             "anything = [\n  [1, 2],\n  \"q\",\n]\n"
             "[tracepatch]\n"
             "max_repr = 50\n");
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_eq(l.cfg.max_depth, 3);
    cr_assert_eq(l.cfg.max_calls, 12);
    cr_assert_eq(l.cfg.max_repr, 50);
    unload(&l);
}

Test(toml, utf8_bom_and_text)
{
    loaded l;
    load(&l, "\xEF\xBB\xBFmax_depth = 8\ndefault_label = \"caf\xc3\xa9\"\n");
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_eq(l.cfg.max_depth, 8);
    unload(&l);
}

static void check_whole_file_rejected(const void *data, size_t len, const char *expect)
{
    char *dir = make_temp_dir();
    write_bytes(dir, "tracepatch.toml", data, len);
    tp_config cfg;
    reports r = {0};
    tp_config_init(&cfg);
    cr_assert_eq(tp_config_load(&cfg, dir, fake_getenv, collect_report, &r), 0);
    cr_assert_eq(r.n, 1, "expected one report, got %d", r.n);
    cr_assert(strstr(r.lines[0], expect), "%s", r.lines[0]);
    cr_assert_eq(cfg.max_depth, 30);
    cr_assert_null(cfg.file);
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(toml, binary_garbage)
{
    unsigned char junk[4096];
    unsigned state = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        state = state * 1103515245u + 12345u;
        junk[i] = (unsigned char)(state >> 16);
    }
    junk[10] = 0xff;    /* never valid in UTF-8, whatever the generator gave */
    check_whole_file_rejected(junk, sizeof junk, "tracepatch.toml:");
    static const char with_nul[] = "max_depth = 5\nmax\0calls = 3\n";
    check_whole_file_rejected(with_nul, sizeof with_nul - 1,
                              "tracepatch.toml:2: not a text file (NUL byte)");
    static const char overlong[] = "max_depth = 5\n\n\xc0\xaf = 1\n";
    check_whole_file_rejected(overlong, sizeof overlong - 1, "tracepatch.toml:3: not valid UTF-8");
}

Test(toml, ten_megabyte_file)
{
    size_t len = 10 * 1024 * 1024;
    char *big = malloc(len);
    cr_assert_not_null(big);
    for (size_t i = 0; i < len; i++)
        big[i] = i % 64 == 63 ? '\n' : '#';
    check_whole_file_rejected(big, len, "tracepatch.toml: file too large");
    free(big);
}

Test(toml, many_problems_are_bounded)
{
    tp_buf text = TP_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        tp_buf_printf(&text, "bogus_%d = 1\n", i);
    tp_buf_puts(&text, "max_calls = 77\n");
    loaded l;
    load(&l, tp_buf_cstr(&text));
    cr_assert_eq(l.r.n, 21);
    cr_assert(strstr(l.r.lines[20], "980 more problems not shown"), "%s", l.r.lines[20]);
    cr_assert_eq(l.cfg.max_calls, 77);
    unload(&l);
    tp_buf_free(&text);
}

Test(toml, long_array_elements)
{
    char item[700];
    memset(item, 'm', sizeof item - 1);
    item[sizeof item - 1] = '\0';
    item[100] = '#';
    char *toml;
    cr_assert(asprintf(&toml, "include_modules = [\n  \"%s\",\n  \"short\",\n  \"%s\"\n]\n", item, item) > 0);
    loaded l;
    load(&l, toml);
    cr_assert_eq(l.r.n, 0, "%s", l.r.n ? l.r.lines[0] : "");
    cr_assert_eq(l.cfg.include_modules.n, 3);
    cr_assert_str_eq(l.cfg.include_modules.items[0], item);
    cr_assert_str_eq(l.cfg.include_modules.items[1], "short");
    cr_assert_str_eq(l.cfg.include_modules.items[2], item);
    unload(&l);
    free(toml);
}
