/* Filter expressions: what they match, and how bad ones are reported. */
#include "expr.h"

#include <criterion/criterion.h>
#include <string.h>

static tp_expr_call sample(void)
{
    tp_expr_call c = {
        .name = "load", .qualname = "Store.load", .module = "app.db", .file = "/src/app/db.py",
        .args = "self=<Store>, key='user:42'", .return_value = "{'id': 42}",
        .exception = NULL, .depth = 3, .thread = 140001, .has_thread = true,
        .elapsed_ms = 12.5, .self_ms = 2.25, .has_elapsed = true, .has_self = true,
    };
    return c;
}

/* Parses `text` (which must be valid) and evaluates it on `c`. */
static bool eval(const char *text, const tp_expr_call *c)
{
    tp_expr_error err;
    tp_expr *e = tp_expr_parse(text, &err);
    cr_assert(e, "'%s' should parse, got: %s at %zu", text, err.message, err.position);
    bool r = tp_expr_match(e, c);
    tp_expr_free(e);
    return r;
}

static void expect(const char *text, bool want)
{
    tp_expr_call c = sample();
    cr_expect_eq(eval(text, &c), want, "'%s' should be %s", text, want ? "true" : "false");
}

/* Parsing `text` fails at `position` with a message containing `what`. */
static void expect_error(const char *text, size_t position, const char *what)
{
    tp_expr_error err;
    tp_expr *e = tp_expr_parse(text, &err);
    cr_assert_null(e, "'%s' should not parse", text);
    cr_expect_eq(err.position, position, "'%s': position %zu, want %zu (%s)", text,
                 err.position, position, err.message);
    cr_expect(strstr(err.message, what), "'%s': message '%s' lacks '%s'", text, err.message, what);
}

Test(expr, text_equality_and_inequality)
{
    expect("module == 'app.db'", true);
    expect("module == \"app.dbx\"", false);
    expect("module == app.db", true);
    expect("module != app.db", false);
    expect("func == load", true);
    expect("name == load", true);
    expect("qualname == Store.load", true);
    expect("module = app.db", true);
}

Test(expr, percent_wildcards_only_with_equality)
{
    expect("module == app.%", true);
    expect("module == %db", true);
    expect("module == %.d%", true);
    expect("module == %x%", false);
    expect("module == 'app%db'", true);
    expect("module != app.%", false);
    expect("file == %/app/%.py", true);
    expect("module == 'app.d%x'", false);
    expect("module == 'app\\%'", false);     /* \% is a literal percent */
    expect("arg contains '%'", false);      /* contains takes % literally */
}

Test(expr, literal_percent_is_matched_literally)
{
    tp_expr_call c = sample();
    c.args = "fmt='100%'";
    cr_expect(eval("arg == 'fmt=\\'100\\%\\''", &c));
    cr_expect(eval("arg contains '100%'", &c));
    cr_expect_not(eval("arg == 'fmt=\\'100\\%x\\''", &c));
}

Test(expr, contains_and_matches)
{
    expect("arg contains 'user:42'", true);
    expect("arg contains \"user:43\"", false);
    expect("return matches '^\\\\{.id.: [0-9]+\\\\}$'", true);
    expect("qualname matches '^Store\\.'", true);
    expect("qualname matches '^store'", false);
    expect("file matches 'db\\.py$'", true);
}

Test(expr, numeric_comparisons)
{
    expect("elapsed_ms > 12", true);
    expect("elapsed_ms > 12.5", false);
    expect("elapsed_ms >= 12.5", true);
    expect("elapsed_ms < 1e2", true);
    expect("self_ms <= 2.25", true);
    expect("self_ms < 2.25", false);
    expect("depth == 3", true);
    expect("depth != 3", false);
    expect("thread == 140001", true);
    expect("thread > 140001", false);
}

Test(expr, text_ordering_is_bytewise)
{
    expect("module < app.e", true);
    expect("module > app.da", true);
    expect("module >= app.db", true);
    expect("module <= app.c", false);
}

Test(expr, and_or_not_precedence_and_parentheses)
{
    expect("depth == 3 and elapsed_ms > 100", false);
    expect("depth == 3 or elapsed_ms > 100", true);
    expect("depth == 1 or depth == 2 and depth == 3", false);   /* and binds tighter */
    expect("(depth == 1 or depth == 3) and func == load", true);
    expect("not depth == 3", false);
    expect("not (depth == 1 or func == x)", true);
    expect("not not func == load", true);
    expect("func == x || func == load", true);
    expect("func == load && !(depth > 2)", false);
}

Test(expr, keywords_ignore_case)
{
    expect("func == load AND depth == 3", true);
    expect("NOT func == load Or arg CONTAINS user", true);
}

Test(expr, missing_fields_and_null)
{
    expect("exception == null", true);
    expect("exception != null", false);
    expect("exception", false);
    expect("not exception", true);
    expect("return", true);
    expect("exception contains Error", false);
    expect("exception != 'ValueError: x'", true);
    expect("exception == %", false);

    tp_expr_call c = sample();
    c.return_value = NULL;
    c.exception = "KeyError: 'user:42'";
    c.has_elapsed = c.has_self = c.has_thread = false;
    cr_expect(eval("exception == KeyError%", &c));
    cr_expect(eval("exception and return == null", &c));
    cr_expect_not(eval("elapsed_ms > 0", &c));
    cr_expect_not(eval("elapsed_ms <= 0", &c));
    cr_expect(eval("elapsed_ms == null", &c));
    cr_expect(eval("thread != 1", &c));
    cr_expect_not(eval("thread", &c));
}

Test(expr, qualname_falls_back_to_name)
{
    tp_expr_call c = sample();
    c.qualname = NULL;
    cr_expect(eval("qualname == load", &c));
}

Test(expr, early_and_late_halves_agree_with_match)
{
    tp_expr_error err;
    tp_expr *e = tp_expr_parse("func == load and (self_ms > 2 or depth > 9)", &err);
    cr_assert(e);
    tp_expr_call start = sample();
    start.has_elapsed = start.has_self = false;
    uint64_t early = tp_expr_early(e, &start);
    tp_expr_call end = sample();
    cr_expect(tp_expr_finish(e, early, &end));
    end.self_ms = 1;
    cr_expect_not(tp_expr_finish(e, early, &end));
    tp_expr_free(e);
}

Test(expr, errors_name_the_position)
{
    expect_error("", 1, "empty expression");
    expect_error("   ", 4, "empty expression");
    expect_error("modul == x", 1, "unknown field");
    expect_error("FUNC == x", 1, "unknown field");   /* fields are lowercase */
    expect_error("module ==", 10, "expected a value after '=='");
    expect_error("module == 'abc", 11, "unterminated string");
    expect_error("(module == x", 13, "expected ')'");
    expect_error("module == x)", 12, "unbalanced ')'");
    expect_error("module == x module == y", 13, "expected 'and', 'or' or the end");
    expect_error("depth > deep", 9, "expected a number");
    expect_error("elapsed_ms contains 1", 21, "need a text field");
    expect_error("func matches '('", 14, "bad regular expression");
    expect_error("func == a and", 14, "expected a field at the end");
    expect_error("func == a & b", 11, "unexpected '&'");
    expect_error("func < null", 8, "null can only be compared");
    expect_error("and func == x", 1, "expected a field");
    expect_error("func == 'a\x02'", 11, "control character");
    expect_error("elapsed_ms > %", 14, "expected a number");
}

Test(expr, limits_are_errors_not_crashes)
{
    char text[TP_EXPR_MAX_LEN + 2];
    memset(text, '(', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    expect_error(text, TP_EXPR_MAX_LEN + 1, "longer than");

    char deep[200] = "";
    for (int i = 0; i < 70; i++)
        strcat(deep, "(");
    expect_error(deep, 65, "nested more than 64");

    char many[4000] = "depth == 1";
    for (int i = 0; i < 64; i++)
        strcat(many, " or depth == 1");
    tp_expr_error err;
    cr_expect_null(tp_expr_parse(many, &err));
    cr_expect(strstr(err.message, "more than 64 comparisons"), "%s", err.message);
}

Test(expr, describe_error_is_one_line)
{
    tp_expr_error err;
    cr_assert_null(tp_expr_parse("func ==\n", &err));
    tp_buf out = TP_BUF_INIT;
    tp_expr_describe_error(&out, "func ==\n", &err);
    cr_expect_str_eq(tp_buf_cstr(&out), "\"func ==\\x0a\": expected a value after '==' at position 9");
    tp_buf_free(&out);
}

Test(expr, call_from_node_takes_start_fields)
{
    tp_node n;
    memset(&n, 0, sizeof n);
    n.name = "f";
    n.module = "m";
    n.depth = 2;
    n.exception = "E: x";
    tp_expr_call c;
    tp_expr_call_from_node(&c, &n);
    cr_expect(eval("module == m and func == f and depth == 2 and exception == E%", &c));
}

/* Found by the fuzzer: stacked quantifiers made glibc's regcomp use more
 * than 2 GB. Costly patterns are refused before regcomp sees them. */
Test(expr, costly_regex_refused)
{
    expect_error("file matches \"db\\.py+++++++++++++++++++++$\"", 14,
                 "regular expression too costly: repetitions one after another");
    expect_error("func matches \"a{1000}\"", 14,
                 "regular expression too costly: a repetition count above 100");
    expect_error("func matches \"a{2}b{2}c{2}d{2}e{2}\"", 14,
                 "regular expression too costly: more than 4 counted repetitions");
    tp_expr_call c = sample();
    (void)eval("func matches \"[+*]?x{2,3}\"", &c);
    (void)eval("func matches \"a\\\\++\"", &c);
}
