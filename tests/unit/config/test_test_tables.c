/* The test-harness tables: [[test.files]] and [[test.inputs]], their inline
 * values, and one report per malformed statement or entry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_test.h"
#include "helpers.h"

typedef struct loaded {
    tp_test_tables t;
    reports r;
    int rc;
} loaded;

static void load_as(loaded *l, const char *text, bool pyproject)
{
    memset(l, 0, sizeof *l);
    l->rc = tp_config_test_tables_from_text(&l->t, text, strlen(text),
                                            pyproject ? "pyproject.toml" : "tracepatch.toml",
                                            pyproject, collect_report, &l->r);
    cr_assert_eq(l->rc, 0);
}

static void load(loaded *l, const char *text)
{
    load_as(l, text, false);
}

static void unload(loaded *l)
{
    tp_test_tables_free(&l->t);
    reports_free(&l->r);
}

static void no_reports(const loaded *l)
{
    cr_assert_eq(l->r.n, 0, "unexpected report: %s", l->r.n ? l->r.lines[0] : "");
}

static void one_report(const loaded *l, const char *needle)
{
    cr_assert_eq(l->r.n, 1, "expected one report, got %d (first: %s)", l->r.n,
                 l->r.n ? l->r.lines[0] : "");
    cr_assert(strstr(l->r.lines[0], needle), "report %s lacks %s", l->r.lines[0], needle);
}

Test(test_tables, files_and_inputs)
{
    loaded l;
    load(&l, "max_depth = 5\n"
             "[[test.files]]\npath = \"calc.py\"\nfunctions = [\"add\", \"sub\"]\n\n"
             "[[test.files]]  # second\npath = 'pkg/mod.py'\nfunctions = [\n  \"run\",  # c\n]\n"
             "[[test.inputs]]\nfunction = \"add\"\nargs = [1, -2_000, 2.5e3, true, \"x\"]\n"
             "kwargs = {b = 3, \"odd key\" = [], c = {d = false}}\n"
             "[[test.inputs]]\nfunction = \"sub\"\n");
    no_reports(&l);
    cr_assert_eq(l.t.n_files, 2);
    cr_assert_str_eq(l.t.files[0].path, "calc.py");
    cr_assert_eq(l.t.files[0].functions.n, 2);
    cr_assert_str_eq(l.t.files[0].functions.items[1], "sub");
    cr_assert_eq(l.t.files[0].line, 2);
    cr_assert_str_eq(l.t.files[1].path, "pkg/mod.py");
    cr_assert_str_eq(l.t.files[1].functions.items[0], "run");
    cr_assert_eq(l.t.n_inputs, 2);
    cr_assert_eq(l.t.inputs[0].line, 11);
    cr_assert_str_eq(l.t.inputs[0].function, "add");
    const tp_tvalue *args = &l.t.inputs[0].args;
    cr_assert_eq(args->n, 5);
    cr_assert_eq(args->items[0].kind, TP_TV_INTEGER);
    cr_assert_str_eq(args->items[1].text, "-2000");
    cr_assert_eq(args->items[2].kind, TP_TV_FLOAT);
    cr_assert_eq(args->items[3].kind, TP_TV_BOOL);
    cr_assert_eq(args->items[4].kind, TP_TV_STRING);
    const tp_tvalue *kw = &l.t.inputs[0].kwargs;
    cr_assert_eq(kw->kind, TP_TV_TABLE);
    cr_assert_eq(kw->n, 3);
    cr_assert_str_eq(kw->keys[1], "odd key");
    cr_assert_eq(kw->items[1].kind, TP_TV_ARRAY);
    cr_assert_eq(kw->items[2].items[0].kind, TP_TV_BOOL);
    cr_assert_eq(l.t.inputs[1].args.kind, TP_TV_ARRAY);
    cr_assert_eq(l.t.inputs[1].args.n, 0);
    cr_assert_eq(l.t.inputs[1].kwargs.kind, TP_TV_TABLE);
    unload(&l);
}

/* A line inside a multi-line array that starts with `[` and a digit is an
 * element, not a table header (it used to end the array as unterminated). */
Test(test_tables, nested_array_on_its_own_line)
{
    loaded l;
    load(&l, "[[test.inputs]]\nfunction = \"f\"\nargs = [\n  [1],\n  [2, 3],\n]\n"
             "[[test.inputs]]\nfunction = \"g\"\n");
    no_reports(&l);
    cr_assert_eq(l.t.n_inputs, 2);
    const tp_tvalue *args = &l.t.inputs[0].args;
    cr_assert_eq(args->n, 2);
    cr_assert_eq(args->items[0].kind, TP_TV_ARRAY);
    cr_assert_eq(args->items[1].n, 2);
    cr_assert_str_eq(l.t.inputs[1].function, "g");
    unload(&l);
}

Test(test_tables, other_tables_and_values_are_skipped)
{
    loaded l;
    load(&l, "[tracepatch]\nredact = [\"a\",\n \"b\"]\n[tool]\nx = \"\"\"multi\n[[test.files]]\n\"\"\"\n"
             "y = [[1, {a = 2}],\n  3]\n[[other.files]]\npath = 1\n");
    no_reports(&l);
    cr_assert_eq(l.t.n_files, 0);
    unload(&l);
}

Test(test_tables, pyproject_names)
{
    loaded l;
    load_as(&l, "[[test.files]]\npath = \"no.py\"\nfunctions = [\"f\"]\n"
                "[[tool.tracepatch.test.files]]\npath = \"yes.py\"\nfunctions = [\"f\"]\n", true);
    no_reports(&l);
    cr_assert_eq(l.t.n_files, 1);
    cr_assert_str_eq(l.t.files[0].path, "yes.py");
    unload(&l);
    load(&l, "[[tracepatch.test.inputs]]\nfunction = \"f\"\n");
    no_reports(&l);
    cr_assert_eq(l.t.n_inputs, 1);
    unload(&l);
}

Test(test_tables, strings_and_escapes)
{
    loaded l;
    load(&l, "[[test.inputs]]\nfunction = \"f\"\n"
             "args = [\"a\\tb\\\"\\u00e9\", 'C:\\raw', \"\", 0x1F, 0o7, 0b1, -inf, nan]\n");
    no_reports(&l);
    const tp_tvalue *a = &l.t.inputs[0].args;
    cr_assert_eq(a->n, 8);
    cr_assert_str_eq(a->items[0].text, "a\tb\"\xc3\xa9");
    cr_assert_str_eq(a->items[1].text, "C:\\raw");
    cr_assert_str_eq(a->items[2].text, "");
    cr_assert_eq(a->items[3].kind, TP_TV_INTEGER);
    cr_assert_str_eq(a->items[3].text, "0x1F");
    cr_assert_eq(a->items[6].kind, TP_TV_FLOAT);
    cr_assert_str_eq(a->items[6].text, "-inf");
    unload(&l);
}

Test(test_tables, missing_keys_name_the_header_line)
{
    loaded l;
    load(&l, "\n[[test.files]]\npath = \"a.py\"\n[[test.files]]\nfunctions = [\"f\"]\n");
    cr_assert_eq(l.r.n, 2);
    cr_assert_str_eq(l.r.lines[0], "tracepatch.toml:2: test.files: missing `functions` "
                                   "(an array of function names)");
    cr_assert(strstr(l.r.lines[1], "tracepatch.toml:4: test.files: missing `path`"));
    cr_assert_eq(l.t.n_files, 0);
    unload(&l);
    load(&l, "[[test.inputs]]\nargs = []\n");
    one_report(&l, "tracepatch.toml:1: test.inputs: missing `function`");
    cr_assert_eq(l.t.n_inputs, 0);
    unload(&l);
}

Test(test_tables, wrong_types_drop_the_entry)
{
    loaded l;
    load(&l, "[[test.files]]\npath = 3\nfunctions = [\"f\"]\n");
    one_report(&l, "tracepatch.toml:2: test.files.path: expected a non-empty string, got 3");
    cr_assert_eq(l.t.n_files, 0);
    unload(&l);
    load(&l, "[[test.files]]\npath = \"a.py\"\nfunctions = [\"f\", 2]\n");
    one_report(&l, ":3: test.files.functions: expected a non-empty array of function names, "
                   "got an array");
    unload(&l);
    load(&l, "[[test.inputs]]\nfunction = \"f\"\nkwargs = [1]\nargs = {a = 1}\n");
    cr_assert_eq(l.r.n, 2);
    cr_assert(strstr(l.r.lines[0], ":3: test.inputs.kwargs: expected an inline table"));
    cr_assert(strstr(l.r.lines[1], ":4: test.inputs.args: expected an array"));
    cr_assert_eq(l.t.n_inputs, 0);
    unload(&l);
}

Test(test_tables, syntax_errors_one_line_each_and_reading_goes_on)
{
    static const struct {
        const char *value;
        const char *message;
    } cases[] = {
        {"[1, 2", ":3: test.inputs.args: unterminated array (no closing `]`)"},
        {"[1 2]", ":3: test.inputs.args: expected `,` or `]` after an array element"},
        {"[\"open]", ":3: test.inputs.args: unterminated string"},
        {"[1979-05-27]", "got `1979-05-27`"},
        {"[012]", "got `012`"},
        {"[1__0]", "got `1__0`"},
        {"[\"\\q\"]", "invalid escape"},
        {"[{a = 1, a = 2}]", "duplicate key `a` in an inline table"},
        {"[{a.b = 1}]", "dotted keys are not supported"},
        {"[{a = 1]", "expected `,` or `}`"},
        {"[\"\"\"x\"\"\"]", "multi-line strings are not supported"},
        {"[] extra", "unexpected text after the value"},
        {"", "missing value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "[[test.inputs]]\nfunction = \"f\"\nargs = %s\n"
                 "[[test.inputs]]\nfunction = \"g\"\n", cases[i].value);
        loaded l;
        load(&l, text);
        one_report(&l, cases[i].message);
        cr_assert(strncmp(l.r.lines[0], "tracepatch.toml:", 16) == 0, "%s", l.r.lines[0]);
        cr_assert_eq(l.t.n_inputs, 1, "case %zu: the next entry survives", i);
        cr_assert_str_eq(l.t.inputs[0].function, "g");
        unload(&l);
    }
}

Test(test_tables, unknown_key_duplicates_and_plain_tables)
{
    loaded l;
    load(&l, "[[test.files]]\npath = \"a.py\"\nfunctons = [\"f\"]\nfunctions = [\"f\"]\n"
             "path = \"b.py\"\n[test.inputs]\nfunction = \"f\"\n");
    cr_assert_eq(l.r.n, 3);
    cr_assert(strstr(l.r.lines[0], ":3: test.files: unknown key"));
    cr_assert(strstr(l.r.lines[1], ":5: test.files.path: duplicate key (also set on line 2)"));
    cr_assert(strstr(l.r.lines[2], ":6: use [[...]]"));
    cr_assert_eq(l.t.n_files, 1);
    cr_assert_str_eq(l.t.files[0].path, "b.py");
    cr_assert_eq(l.t.n_inputs, 0);
    unload(&l);
}

Test(test_tables, deep_nesting_and_binary_are_refused)
{
    char text[400] = "[[test.inputs]]\nfunction = \"f\"\nargs = ";
    for (int i = 0; i < 40; i++)
        strcat(text, "[");
    strcat(text, "\n");
    loaded l;
    load(&l, text);
    one_report(&l, "nested deeper than 32 levels");
    cr_assert_eq(l.t.n_inputs, 0);
    unload(&l);
    memset(&l, 0, sizeof l);
    cr_assert_eq(tp_config_test_tables_from_text(&l.t, "a\0b", 3, "x.toml", false,
                                                 collect_report, &l.r), 0);
    one_report(&l, "x.toml: not UTF-8 text");
    unload(&l);
}

Test(test_tables, file_errors)
{
    char *dir = make_temp_dir();
    char *path = path_join(dir, "tracepatch.toml");
    loaded l;
    memset(&l, 0, sizeof l);
    cr_assert_eq(tp_config_load_test_tables(&l.t, path, "tracepatch.toml", false,
                                            collect_report, &l.r), -2);
    one_report(&l, "tracepatch.toml: No such file or directory");
    unload(&l);
    write_file(dir, "tracepatch.toml", "[[test.files]]\npath = \"m.py\"\nfunctions = [\"f\"]\n");
    memset(&l, 0, sizeof l);
    cr_assert_eq(tp_config_load_test_tables(&l.t, path, "tracepatch.toml", false,
                                            collect_report, &l.r), 0);
    no_reports(&l);
    cr_assert_eq(l.t.n_files, 1);
    unload(&l);
    free(path);
    remove_tree(dir);
    free(dir);
}
