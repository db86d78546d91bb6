/* Hostile files given to the real tph: never a crash, always exit 1 with
 * one line "tph: FILE: <what> at byte N" and nothing on stdout. */
#include "tph_run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/tph-hostile-XXXXXX";

static void make_dir(void)
{
    cr_assert(mkdtemp(dir) != NULL);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(hostile, .init = make_dir, .fini = remove_dir, .timeout = 120);

static void write_file(const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void expect_one_error_line(const char *command, const char *name, const char *what)
{
    const char *args[] = {command, name, "--no-pager", NULL};
    tph_result r = tph_run(dir, args);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "tph: %s: ", name);
    cr_expect_eq(r.status, 1, "%s %s: exit %d (%s)", command, name, r.status, r.err);
    cr_expect_eq(r.out_len, 0, "%s %s printed: %s", command, name, r.out);
    cr_expect(strncmp(r.err, prefix, strlen(prefix)) == 0, "%s %s: %s", command, name, r.err);
    cr_expect(strstr(r.err, " at byte ") != NULL, "%s %s: %s", command, name, r.err);
    cr_expect(strchr(r.err, '\n') == r.err + r.err_len - 1, "not one line: %s", r.err);
    if (what)
        cr_expect(strstr(r.err, what) != NULL, "%s %s: %s lacks '%s'", command, name, r.err, what);
    tph_result_free(&r);
}

static void expect_rejected(const char *name, const char *what)
{
    const char *commands[] = {"tree", "stats", "view", "lines"};
    for (size_t i = 0; i < 4; i++)
        expect_one_error_line(commands[i], name, what);
}

Test(hostile, missing_file_and_directory)
{
    expect_rejected("no-such.json", "No such file");
    expect_rejected(".", "is a directory");
}

Test(hostile, empty_and_not_json)
{
    write_file("empty.json", "", 0);
    expect_rejected("empty.json", "empty file");
    write_file("text.json", "hello, world\n", 13);
    expect_rejected("text.json", "invalid JSON");
    write_file("array.json", "[1, 2]", 6);
    expect_rejected("array.json", "top level");
}

Test(hostile, truncated_at_many_bytes)
{
    size_t len;
    char *whole = read_whole_file(FIXTURES "/basic.json", &len);
    cr_assert(whole != NULL);
    for (size_t cut = 1; cut < len - 2; cut += 97) {
        write_file("cut.json", whole, cut);
        expect_one_error_line("tree", "cut.json", NULL);
    }
    free(whole);
}

Test(hostile, wrong_types_for_known_keys)
{
    const char *docs[] = {
        "{\"call_count\": \"many\", \"trace\": []}",
        "{\"was_limited\": 1, \"trace\": []}",
        "{\"trace\": \"none\"}",
        "{\"trace\": [{\"name\": [\"a\"]}]}",
        "{\"trace\": [{\"start\": true}]}",
        "{\"trace\": [{\"thread\": \"main\"}]}",
        "{\"trace\": [[]]}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        write_file("types.json", docs[i], strlen(docs[i]));
        expect_rejected("types.json", "expected");
    }
}

Test(hostile, deeply_nested_arrays)
{
    size_t depth = 100000;
    char *doc = malloc(depth * 2 + 32);
    size_t n = (size_t)sprintf(doc, "{\"trace\": [");
    memset(doc + n, '[', depth);
    memset(doc + n + depth, ']', depth);
    strcpy(doc + n + 2 * depth, "]}");
    write_file("deep.json", doc, strlen(doc));
    expect_rejected("deep.json", NULL);
    n = (size_t)sprintf(doc, "{\"x\": ");
    memset(doc + n, '[', depth);
    write_file("deep2.json", doc, n + depth);
    expect_rejected("deep2.json", "nested deeper");
    free(doc);
}

Test(hostile, hundred_megabyte_string)
{
    size_t n = 100u << 20;
    char *doc = malloc(n + 64);
    size_t head = (size_t)sprintf(doc, "{\"trace\": [{\"args\": \"");
    memset(doc + head, 'x', n);
    strcpy(doc + head + n, "\"}]}");
    write_file("big.json", doc, strlen(doc));
    free(doc);
    expect_one_error_line("tree", "big.json", "string longer than 16 MiB");
}

Test(hostile, invalid_utf8_and_nul_bytes)
{
    const char bad_utf8[] = "{\"trace\": [{\"name\": \"\xff\xfe\"}]}";
    write_file("utf8.json", bad_utf8, sizeof bad_utf8 - 1);
    expect_rejected("utf8.json", "UTF8");
    const char nul_in_string[] = "{\"trace\": [{\"name\": \"a\0b\"}]}";
    write_file("nul.json", nul_in_string, sizeof nul_in_string - 1);
    expect_rejected("nul.json", "invalid JSON");
    const char nul_outside[] = "{\"trace\": []}\0";
    write_file("nul2.json", nul_outside, sizeof nul_outside - 1);
    expect_rejected("nul2.json", "invalid JSON");
}

/* tph lines reads the `lines` object of a call (line mode): wrong types are
 * errors, unknown keys are skipped, a huge call is shown only in part. */
Test(hostile, line_mode_values)
{
    const char *docs[] = {
        "{\"trace\": [{\"lines\": []}]}",
        "{\"trace\": [{\"lines\": 3}]}",
        "{\"trace\": [{\"lines\": {\"steps\": {}}}]}",
        "{\"trace\": [{\"lines\": {\"steps\": [1]}}]}",
        "{\"trace\": [{\"lines\": {\"steps\": [{\"vars\": [[]]}]}}]}",
        "{\"trace\": [{\"lines\": {\"steps_dropped\": 1e3}}]}",
        "{\"trace\": [{\"lines\": {\"summary\": [{\"vars\": {\"x\": []}}]}}]}",
        "{\"trace\": [{\"lines\": {\"summary\": [{\"hits\": 99999999999999999999}]}}]}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        write_file("lines.json", docs[i], strlen(docs[i]));
        expect_one_error_line("lines", "lines.json", "call key \"lines\": ");
    }
    const char *ok = "{\"trace\": [{\"lines\": {\"x\": [[[{\"steps\": 1}]]], \"steps\": []}}]}";
    write_file("skip.json", ok, strlen(ok));
    const char *args[] = {"lines", "skip.json", NULL};
    tph_result r = tph_run(dir, args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "(no steps recorded)") != NULL, "%s", r.out);
    tph_result_free(&r);
}

Test(hostile, line_mode_call_too_big_to_keep)
{
    size_t steps = 150000;
    char *doc = malloc(steps * 64 + 128);
    size_t n = (size_t)sprintf(doc, "{\"trace\": [{\"name\": \"f\", \"lines\": {\"steps\": [");
    for (size_t i = 0; i < steps; i++)
        n += (size_t)sprintf(doc + n, "%s{\"line\": %zu, \"source\": \"x = 1\"}", i ? "," : "",
                             i);
    n += (size_t)sprintf(doc + n, "]}}]}");
    write_file("huge.json", doc, n);
    free(doc);
    const char *args[] = {"lines", "huge.json", NULL};
    tph_result r = tph_run(dir, args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "  #100000  ") != NULL);
    cr_expect(strstr(r.out, "  #100001  ") == NULL);
    cr_expect(strstr(r.out, "50000 more steps not shown") != NULL);
    tph_result_free(&r);
}
