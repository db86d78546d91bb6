/* TRACEPATCH_<KEY> overrides through an injected environment. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void init_env(void)
{
    fake_env_clear();
}

TestSuite(env, .init = init_env);

Test(env, overrides_file_and_records_origin)
{
    fake_env_set("TRACEPATCH_MAX_DEPTH", "4");
    fake_env_set("TRACEPATCH_IGNORE_MODULES", " a.b , ,c ");
    fake_env_set("TRACEPATCH_QUIET", "yes");
    fake_env_set("TRACEPATCH_AUTOSTART", "1");
    fake_env_set("TRACEPATCH_INHERIT", "off");
    fake_env_set("TRACEPATCH_SIGNAL", "RTMIN+2");
    fake_env_set("TRACEPATCH_TRIGGER", "/tmp/trigger");
    fake_env_set("TRACEPATCH_MAX_SECONDS", "0.25");
    fake_env_set("TRACEPATCH_REPR", "safe");
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r, "max_depth = 9\nmax_calls = 8\n");
    cr_assert_eq(r.n, 0, "%s", r.n ? r.lines[0] : "");
    cr_assert_eq(cfg.max_depth, 4);
    cr_assert_eq(cfg.max_calls, 8);
    cr_assert_eq(cfg.ignore_modules.n, 2);
    cr_assert_str_eq(cfg.ignore_modules.items[0], "a.b");
    cr_assert_str_eq(cfg.ignore_modules.items[1], "c");
    cr_assert(cfg.quiet);
    cr_assert(cfg.autostart);
    cr_assert_not(cfg.inherit);
    cr_assert_eq(cfg.signal, SIGRTMIN + 2);
    cr_assert_str_eq(cfg.trigger, "/tmp/trigger");
    cr_assert_float_eq(cfg.max_seconds, 0.25, 1e-12);
    cr_assert(cfg.repr_safe);
    char *depth = origin_of(&cfg, "max_depth");
    char *calls = origin_of(&cfg, "max_calls");
    char *label = origin_of(&cfg, "default_label");
    cr_assert_str_eq(depth, "TRACEPATCH_MAX_DEPTH");
    cr_assert_str_eq(calls, "tracepatch.toml:2");
    cr_assert_str_eq(label, "default");
    free(depth), free(calls), free(label);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

Test(env, bad_values_name_the_variable_and_keep_the_file_value)
{
    fake_env_set("TRACEPATCH_MAX_DEPTH", "abc");
    fake_env_set("TRACEPATCH_QUIET", "maybe");
    fake_env_set("TRACEPATCH_CACHE_DIR", "");
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r, "max_depth = 9\n");
    cr_assert_eq(r.n, 3);
    cr_assert_str_eq(r.lines[0], "TRACEPATCH_MAX_DEPTH: expected a positive integer, got \"abc\"");
    cr_assert(reports_contain(&r, "TRACEPATCH_QUIET: expected 1/0, true/false, yes/no or on/off, got \"maybe\""));
    cr_assert(reports_contain(&r, "TRACEPATCH_CACHE_DIR: expected a non-empty string"));
    cr_assert_eq(cfg.max_depth, 9);
    cr_assert_str_eq(cfg.cache_dir, ".tracepatch_cache");
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(env, empty_list_and_label)
{
    fake_env_set("TRACEPATCH_IGNORE_MODULES", "");
    fake_env_set("TRACEPATCH_DEFAULT_LABEL", "");
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r, "default_label = \"x\"\n");
    cr_assert_eq(r.n, 0);
    cr_assert_eq(cfg.ignore_modules.n, 0);
    cr_assert_null(cfg.default_label);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

Test(env, every_key_has_a_variable)
{
    for (size_t i = 0; i < tp_config_key_count(); i++) {
        const char *key = tp_config_key_name(i), *var = tp_config_env_name(i);
        cr_assert(strncmp(var, "TRACEPATCH_", 11) == 0);
        cr_assert_eq(strlen(var), strlen(key) + 11, "%s", var);
        for (size_t j = 0; key[j]; j++)
            cr_assert_eq(var[11 + j], key[j] >= 'a' && key[j] <= 'z' ? key[j] - 32 : key[j], "%s", var);
    }
}

Test(env, reload_replaces_file_name)
{
    tp_config cfg;
    reports r = {0};
    char *dir = load_toml(&cfg, &r, "max_depth = 9\n");
    cr_assert_eq(tp_config_load(&cfg, dir, fake_getenv, collect_report, &r), 0);
    cr_assert_str_eq(cfg.file, "tracepatch.toml");
    cr_assert_eq(r.n, 0);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}
