/* Every key: its default, a valid value from the file, and each kind of
 * bad value (one report naming file, line, key and value; default kept). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void init_env(void)
{
    fake_env_clear();
}

TestSuite(keys, .init = init_env);

Test(keys, defaults)
{
    tp_config cfg;
    tp_config_init(&cfg);
    cr_assert_eq(cfg.max_depth, 30);
    cr_assert_eq(cfg.max_calls, 10000);
    cr_assert_eq(cfg.max_repr, 120);
    cr_assert_float_eq(cfg.max_seconds, 60.0, 1e-9);
    cr_assert_eq(cfg.max_memory_mb, 256);
    cr_assert_eq(cfg.min_free_mb, 100);
    cr_assert_eq(cfg.repr_budget_ms, 200);
    cr_assert_eq(cfg.ignore_modules.n, 9);
    cr_assert(tp_module_matches(&cfg.ignore_modules, "_frozen_importlib_external"));
    cr_assert(tp_module_matches(&cfg.ignore_modules, "concurrent.futures.thread"));
    cr_assert(tp_module_matches(&cfg.ignore_modules, "_weakrefset"));
    cr_assert_eq(cfg.include_modules.n, 0);
    cr_assert_eq(cfg.redact.n, 9);
    cr_assert(tp_name_redacted(&cfg.redact, "API_KEY"));
    cr_assert_str_eq(cfg.cache_dir, ".tracepatch_cache");
    cr_assert_null(cfg.default_label);
    cr_assert_not(cfg.quiet);
    cr_assert_not(cfg.repr_safe);
    cr_assert_eq(cfg.signal, SIGUSR1);
    cr_assert_null(cfg.trigger);
    cr_assert_not(cfg.autostart);
    cr_assert_not(cfg.record_c_calls);
    cr_assert(cfg.inherit);
    for (size_t i = 0; i < tp_config_key_count(); i++)
        cr_assert_eq(cfg.origin[i].kind, TP_ORIGIN_DEFAULT, "%s", tp_config_key_name(i));
    tp_config_free(&cfg);
}

Test(keys, every_key_from_file)
{
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r,
        "max_depth = 5\n"
        "max_calls = 1_000\n"
        "max_repr = 4\n"
        "max_seconds = 2.5\n"
        "max_memory_mb = 64\n"
        "min_free_mb = 0\n"
        "ignore_modules = [\"foo\", \"bar.baz\"]\n"
        "include_modules = [\"app\"]\n"
        "redact = [\"pin\"]\n"
        "cache_dir = \"/var/tmp/traces\"\n"
        "fallback_dir = \"none\"\n"
        "default_label = \"nightly\"\n"
        "quiet = true\n"
        "repr = \"safe\"\n"
        "repr_budget_ms = 0\n"
        "signal = \"USR2\"\n"
        "trigger = \"/tmp/go\"\n"
        "autostart = true\n"
        "record_c_calls = true\n"
        "inherit = false\n"
        "snapshot_seconds = 0.5\n"
        "line_functions = [\"app:run\", \"app:Job.step\"]\n"
        "variable_mode = \"all\"\n"
        "line_samples = 5\n"
        "line_max_steps = 50\n");
    cr_assert_eq(r.n, 0, "unexpected report: %s", r.n ? r.lines[0] : "");
    cr_assert_eq(cfg.max_depth, 5);
    cr_assert_eq(cfg.max_calls, 1000);
    cr_assert_eq(cfg.max_repr, 4);
    cr_assert_float_eq(cfg.max_seconds, 2.5, 1e-9);
    cr_assert_eq(cfg.max_memory_mb, 64);
    cr_assert_eq(cfg.min_free_mb, 0);
    cr_assert_eq(cfg.ignore_modules.n, 2);
    cr_assert_str_eq(cfg.ignore_modules.items[1], "bar.baz");
    cr_assert_eq(cfg.include_modules.n, 1);
    cr_assert_str_eq(cfg.include_modules.items[0], "app");
    cr_assert_eq(cfg.redact.n, 1);
    cr_assert_not(tp_name_redacted(&cfg.redact, "password"), "redact replaces the list");
    cr_assert_str_eq(cfg.cache_dir, "/var/tmp/traces");
    cr_assert_str_eq(cfg.fallback_dir, "none");
    cr_assert_str_eq(cfg.default_label, "nightly");
    cr_assert(cfg.quiet);
    cr_assert(cfg.repr_safe);
    cr_assert_eq(cfg.repr_budget_ms, 0);
    cr_assert_eq(cfg.signal, SIGUSR2);
    cr_assert_str_eq(cfg.trigger, "/tmp/go");
    cr_assert(cfg.autostart);
    cr_assert(cfg.record_c_calls);
    cr_assert_not(cfg.inherit);
    cr_assert_float_eq(cfg.snapshot_seconds, 0.5, 1e-9);
    cr_assert_eq(cfg.line_functions.n, 2);
    cr_assert_str_eq(cfg.line_functions.items[1], "app:Job.step");
    cr_assert_eq(cfg.variable_mode, TP_VARS_ALL);
    cr_assert_eq(cfg.line_samples, 5);
    cr_assert_eq(cfg.line_max_steps, 50);
    for (size_t i = 0; i < tp_config_key_count(); i++) {
        cr_assert_eq(cfg.origin[i].kind, TP_ORIGIN_FILE, "%s", tp_config_key_name(i));
        cr_assert_eq(cfg.origin[i].line, (int)i + 1, "%s", tp_config_key_name(i));
    }
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

/* One bad assignment: exactly one report containing `expect`, and the key
 * keeps its default. */
static void check_rejected(const char *line, const char *key, const char *expect)
{
    tp_config cfg, defaults;
    reports r = {0};
    char *toml;
    cr_assert(asprintf(&toml, "# comment\n%s\n", line) > 0);
    char *dir = load_toml(&cfg, &r, toml);
    tp_config_init(&defaults);
    cr_assert_eq(r.n, 1, "%s: expected one report, got %d (%s)", line, r.n, r.n ? r.lines[0] : "");
    char *prefix;
    cr_assert(asprintf(&prefix, "tracepatch.toml:2: %s: ", key) > 0);
    cr_assert(strncmp(r.lines[0], prefix, strlen(prefix)) == 0, "%s -> %s", line, r.lines[0]);
    cr_assert(strstr(r.lines[0], expect), "%s -> %s (wanted %s)", line, r.lines[0], expect);
    char *got = value_of(&cfg, key), *want = value_of(&defaults, key);
    cr_assert_str_eq(got, want, "%s: default not kept", line);
    free(got), free(want), free(prefix), free(toml);
    tp_config_free(&cfg);
    tp_config_free(&defaults);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(keys, bad_integers)
{
    check_rejected("max_depth = abc", "max_depth", "expected a positive integer, got \"abc\"");
    check_rejected("max_depth = \"abc\"", "max_depth", "expected a positive integer, got the string \"abc\"");
    check_rejected("max_depth = 0", "max_depth", "positive integer");
    check_rejected("max_depth = -3", "max_depth", "positive integer");
    check_rejected("max_depth = 1.5", "max_depth", "positive integer");
    check_rejected("max_depth = 99999999999999999999999", "max_depth", "positive integer");
    check_rejected("max_depth = 100001", "max_depth", "an integer from 1 to 100000");
    check_rejected("max_calls = [1]", "max_calls", "got an array");
    check_rejected("max_calls = 1__0", "max_calls", "positive integer");
    check_rejected("max_repr = 3", "max_repr", "an integer from 4 to");
    check_rejected("max_memory_mb = true", "max_memory_mb", "positive integer");
    check_rejected("min_free_mb = -1", "min_free_mb", "an integer from 0 to 1048576, got \"-1\"");
    check_rejected("repr_budget_ms = 3600001", "repr_budget_ms", "an integer from 0 to 3600000");
    check_rejected("repr_budget_ms = 0.5", "repr_budget_ms", "got \"0.5\"");
}

Test(keys, bad_seconds)
{
    check_rejected("max_seconds = 0", "max_seconds", "positive number of seconds");
    check_rejected("max_seconds = -1", "max_seconds", "positive number of seconds");
    check_rejected("max_seconds = inf", "max_seconds", "got \"inf\"");
    check_rejected("max_seconds = nan", "max_seconds", "got \"nan\"");
    check_rejected("max_seconds = 1e10", "max_seconds", "at most 1e9");
    check_rejected("max_seconds = \"5\"", "max_seconds", "the string \"5\"");
    check_rejected("snapshot_seconds = -1", "snapshot_seconds", "0: off");
    check_rejected("variable_mode = \"some\"", "variable_mode", "\"changed\", \"all\" or \"none\"");
    check_rejected("line_samples = 0", "line_samples", "");
    check_rejected("snapshot_seconds = nan", "snapshot_seconds", "got \"nan\"");
}

Test(keys, bad_strings_and_lists)
{
    check_rejected("cache_dir = \"\"", "cache_dir", "expected a non-empty string");
    check_rejected("cache_dir = 5", "cache_dir", "expected a non-empty string, got \"5\"");
    check_rejected("default_label = [\"a\"]", "default_label", "got an array");
    check_rejected("ignore_modules = \"foo\"", "ignore_modules", "expected an array of strings");
    check_rejected("ignore_modules = [\"a\", 3]", "ignore_modules", "got the element \"3\"");
    check_rejected("redact = true", "redact", "array of strings");
}

Test(keys, bad_enums_and_booleans)
{
    check_rejected("quiet = yes", "quiet", "expected true or false, got \"yes\"");
    check_rejected("quiet = \"true\"", "quiet", "true or false");
    check_rejected("autostart = 1", "autostart", "true or false");
    check_rejected("repr = \"fast\"", "repr", "expected \"full\" or \"safe\", got the string \"fast\"");
    check_rejected("repr = safe", "repr", "\"full\" or \"safe\"");
    check_rejected("signal = \"INT\"", "signal", "expected USR1, USR2, RTMIN+N or none");
    check_rejected("signal = \"RTMIN+999\"", "signal", "RTMIN+N");
    check_rejected("signal = 10", "signal", "got \"10\"");
}

Test(keys, signal_forms)
{
    const struct { const char *text; int want; } cases[] = {
        {"USR1", SIGUSR1}, {"sigusr2", SIGUSR2}, {"SIGUSR2", SIGUSR2}, {"none", 0},
        {"RTMIN", SIGRTMIN}, {"RTMIN+3", SIGRTMIN + 3}, {"SIGRTMIN+1", SIGRTMIN + 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_config cfg;
        reports r = {0};
        char *toml;
        cr_assert(asprintf(&toml, "signal = \"%s\"\n", cases[i].text) > 0);
        char *dir = load_toml(&cfg, &r, toml);
        cr_assert_eq(r.n, 0, "%s: %s", cases[i].text, r.n ? r.lines[0] : "");
        cr_assert_eq(cfg.signal, cases[i].want, "%s", cases[i].text);
        tp_config_free(&cfg);
        remove_tree(dir);
        free(dir), free(toml);
    }
    cr_assert_str_eq(tp_signal_name(SIGUSR1), "SIGUSR1");
    cr_assert_str_eq(tp_signal_name(SIGRTMIN + 3), "SIGRTMIN+3");
    cr_assert_str_eq(tp_signal_name(0), "none");
    cr_assert_str_eq(tp_signal_name(SIGINT), "SIG?");
}

Test(keys, empty_optional_string_unsets)
{
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r, "default_label = \"\"\ntrigger = ''\n");
    cr_assert_eq(r.n, 0);
    cr_assert_null(cfg.default_label);
    cr_assert_null(cfg.trigger);
    char *origin = origin_of(&cfg, "trigger");
    cr_assert_str_eq(origin, "tracepatch.toml:2");
    free(origin);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}
