/* tp_module_matches and tp_name_redacted. */
#include <criterion/criterion.h>

#include "config.h"

static char *prefix_items[] = {"a.b", "json"};
static const tp_strlist prefixes = {prefix_items, 2};

Test(match, module_prefix_on_dot_boundary)
{
    cr_assert(tp_module_matches(&prefixes, "a.b"));
    cr_assert(tp_module_matches(&prefixes, "a.b.c"));
    cr_assert(tp_module_matches(&prefixes, "json.decoder"));
    cr_assert_not(tp_module_matches(&prefixes, "a.bc"));
    cr_assert_not(tp_module_matches(&prefixes, "a"));
    cr_assert_not(tp_module_matches(&prefixes, "jsonschema"));
    cr_assert_not(tp_module_matches(&prefixes, ""));
    cr_assert_not(tp_module_matches(&prefixes, NULL));
}

Test(match, empty_prefix_matches_nothing)
{
    char *items[] = {""};
    tp_strlist list = {items, 1};
    cr_assert_not(tp_module_matches(&list, "x"));
    cr_assert_not(tp_module_matches(&list, ".x"));
    tp_strlist none = {NULL, 0};
    cr_assert_not(tp_module_matches(&none, "x"));
}

Test(match, redaction_is_case_insensitive_substring)
{
    char *items[] = {"password", "token"};
    tp_strlist words = {items, 2};
    cr_assert(tp_name_redacted(&words, "db_PASSWORD"));
    cr_assert(tp_name_redacted(&words, "AccessToken"));
    cr_assert_not(tp_name_redacted(&words, "user"));
    cr_assert_not(tp_name_redacted(&words, NULL));
}
