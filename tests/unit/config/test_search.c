/* Finding the file: upward search, pyproject.toml, TRACEPATCH_CONFIG. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static void init_env(void)
{
    fake_env_clear();
}

TestSuite(search, .init = init_env);

/* root/a/b/c, returned as root; *deep = root/a/b/c. */
static char *make_tree(char **deep)
{
    char *root = make_temp_dir();
    char *a = path_join(root, "a"), *b = path_join(a, "b"), *c = path_join(b, "c");
    cr_assert_eq(mkdir(a, 0700), 0);
    cr_assert_eq(mkdir(b, 0700), 0);
    cr_assert_eq(mkdir(c, 0700), 0);
    free(a), free(b);
    *deep = c;
    return root;
}

static void load_from(tp_config *cfg, reports *r, const char *cwd)
{
    tp_config_init(cfg);
    cr_assert_eq(tp_config_load(cfg, cwd, fake_getenv, collect_report, r), 0);
}

Test(search, finds_file_in_a_parent_directory)
{
    char *deep, *root = make_tree(&deep);
    char *a = path_join(root, "a");
    write_file(a, "tracepatch.toml", "max_depth = 11\n");
    write_file(root, "tracepatch.toml", "max_depth = 99\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, deep);
    cr_assert_eq(r.n, 0);
    cr_assert_eq(cfg.max_depth, 11, "the nearest file wins");
    char *expected = path_join(a, "tracepatch.toml");
    cr_assert_str_eq(cfg.file, expected);
    cr_assert_str_eq(cfg.loaded_in, deep, "where it was loaded, not where it was found");
    /* c and b: two names each, then a's tracepatch.toml */
    cr_assert_eq(cfg.n_searched, 5);
    cr_assert_str_eq(cfg.searched[4].path, expected);
    cr_assert_str_eq(cfg.searched[4].status, "used");
    cr_assert_str_eq(cfg.searched[0].status, "not found");
    char *origin = origin_of(&cfg, "max_depth");
    char *want_origin;
    cr_assert(asprintf(&want_origin, "%s:1", expected) > 0);
    cr_assert_str_eq(origin, want_origin);
    free(origin), free(want_origin), free(expected);
    tp_config_free(&cfg);
    remove_tree(root);
    free(root), free(a), free(deep);
}

Test(search, messages_in_cwd_use_the_short_name)
{
    char *dir = make_temp_dir();
    write_file(dir, "tracepatch.toml", "\n\n\n\n\n\nmax_depth = \"abc\"\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.lines[0], "tracepatch.toml:7: max_depth: expected a positive integer, "
                                 "got the string \"abc\"");
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(search, pyproject_needs_our_table)
{
    char *deep, *root = make_tree(&deep);
    char *b = path_join(root, "a/b");
    write_file(deep, "pyproject.toml", "[project]\nname = \"x\"\n[tool.other]\nmax_depth = 1\n");
    write_file(b, "pyproject.toml",
               "[project]\nname = \"demo\"\ndependencies = [\n  \"requests>=2\",\n]\n"
               "[tool.tracepatch]\nmax_depth = 12\nignore_modules = [\"x\"]\n"
               "[tool.black]\nline-length = 100\n");
    write_file(root, "tracepatch.toml", "max_depth = 99\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, deep);
    cr_assert_eq(r.n, 0, "%s", r.n ? r.lines[0] : "");
    cr_assert_eq(cfg.max_depth, 12);
    cr_assert_eq(cfg.ignore_modules.n, 1);
    cr_assert_str_eq(cfg.searched[1].status, "no [tool.tracepatch] table");
    cr_assert_str_eq(cfg.searched[cfg.n_searched - 1].status, "used");
    tp_config_free(&cfg);
    remove_tree(root);
    free(root), free(b), free(deep);
}

/* TOML defines [tool.tracepatch] with any table below it: a pyproject.toml
 * holding only the harness's tables is ours, with nothing else set. Not
 * a table whose name only begins like ours. */
Test(search, pyproject_table_below_ours_makes_it_ours)
{
    char *dir = make_temp_dir();
    char *b = path_join(dir, "b");
    mkdir(b, 0700);
    write_file(dir, "pyproject.toml", "[[tool.tracepatch.test.files]]\npath = \"m.py\"\n");
    write_file(b, "pyproject.toml", "[tool.tracepatchx]\nmax_depth = 1\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, b);
    cr_assert_eq(r.n, 0, "%s", r.n ? r.lines[0] : "");
    cr_assert_eq(cfg.n_searched, 4);   /* tracepatch.toml, pyproject.toml in b, then in dir */
    cr_assert_str_eq(cfg.searched[1].status, "no [tool.tracepatch] table");
    cr_assert_str_eq(cfg.searched[3].status, "used");
    cr_assert_eq(cfg.max_depth, 30);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir), free(b);
}

Test(search, tracepatch_toml_wins_over_pyproject_in_same_directory)
{
    char *dir = make_temp_dir();
    write_file(dir, "tracepatch.toml", "max_depth = 2\n");
    write_file(dir, "pyproject.toml", "[tool.tracepatch]\nmax_depth = 3\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(cfg.max_depth, 2);
    cr_assert_eq(cfg.n_searched, 1);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

Test(search, pyproject_problems_only_inside_our_table)
{
    char *dir = make_temp_dir();
    write_file(dir, "pyproject.toml",
               "[tool.poetry]\n\"quoted\" = { x = 1 }\nbad line here\n"
               "[tool.tracepatch]\nmax_depth = \"deep\"\n");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1, "%s", r.n ? r.lines[0] : "");
    cr_assert(strstr(r.lines[0], "pyproject.toml:5: max_depth: expected a positive integer"));
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(search, nothing_found_keeps_defaults)
{
    char *dir = make_temp_dir();
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 0);
    cr_assert_null(cfg.file);
    cr_assert_eq(cfg.max_depth, 30);
    cr_assert_geq(cfg.n_searched, 4, "the temp dir and /tmp at least");
    cr_assert_str_eq(cfg.searched[cfg.n_searched - 1].path, "/pyproject.toml");
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

Test(search, tracepatch_config_names_the_file)
{
    char *dir = make_temp_dir();
    write_file(dir, "tracepatch.toml", "max_depth = 2\n");
    write_file(dir, "custom.toml", "max_depth = 6\n");
    char *custom = path_join(dir, "custom.toml");
    fake_env_set("TRACEPATCH_CONFIG", custom);
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 0);
    cr_assert_eq(cfg.max_depth, 6);
    cr_assert_str_eq(cfg.file, custom);
    cr_assert_eq(cfg.n_searched, 1);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir), free(custom);
}

Test(search, tracepatch_config_relative_to_cwd)
{
    char *dir = make_temp_dir();
    write_file(dir, "other.toml", "max_calls = 3\n");
    fake_env_set("TRACEPATCH_CONFIG", "other.toml");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(cfg.max_calls, 3);
    tp_config_free(&cfg);
    remove_tree(dir);
    free(dir);
}

Test(search, missing_tracepatch_config_is_one_line)
{
    char *dir = make_temp_dir();
    write_file(dir, "tracepatch.toml", "max_depth = 2\n");
    fake_env_set("TRACEPATCH_CONFIG", "/nonexistent/tp.toml");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.lines[0], "TRACEPATCH_CONFIG: /nonexistent/tp.toml: No such file or directory");
    cr_assert_eq(cfg.max_depth, 30, "no fallback to the search");
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(search, named_directory_and_pyproject_without_table)
{
    char *dir = make_temp_dir();
    fake_env_set("TRACEPATCH_CONFIG", dir);
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1);
    cr_assert(strstr(r.lines[0], "not a regular file"), "%s", r.lines[0]);
    tp_config_free(&cfg);
    reports_free(&r);

    write_file(dir, "pyproject.toml", "[project]\nname = \"x\"\n");
    fake_env_clear();
    tp_config_init(&cfg);
    cr_assert_eq(tp_config_load_from(&cfg, dir, "pyproject.toml", fake_getenv, collect_report, &r), 0);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.lines[0], "pyproject.toml: no [tool.tracepatch] table");
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(search, unreadable_file_is_reported)
{
    char *dir = make_temp_dir();
    char *link = path_join(dir, "tracepatch.toml");
    cr_assert_eq(symlink("tracepatch.toml", link), 0, "a symlink loop cannot be opened");
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1);
    cr_assert(strstr(r.lines[0], "tracepatch.toml: "), "%s", r.lines[0]);
    cr_assert_eq(cfg.max_depth, 30);
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir), free(link);
}

Test(search, fifo_does_not_block, .timeout = 5)
{
    char *dir = make_temp_dir();
    char *fifo = path_join(dir, "tracepatch.toml");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, dir);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.lines[0], "tracepatch.toml: not a regular file");
    tp_config_free(&cfg);
    reports_free(&r);
    remove_tree(dir);
    free(dir), free(fifo);
}

Test(search, remembers_the_working_directory_it_was_loaded_in)
{
    char *root = make_temp_dir();
    char *before = get_current_dir_name();
    cr_assert_not_null(before);
    cr_assert_eq(chdir(root), 0);
    tp_config cfg;
    reports r = {0};
    load_from(&cfg, &r, NULL);
    char *here = get_current_dir_name();
    cr_assert_eq(chdir(before), 0);
    cr_assert_not_null(here);
    cr_assert_str_eq(cfg.loaded_in, here);
    tp_config_free(&cfg);
    cr_assert_null(cfg.loaded_in);
    remove_tree(root);
    free(root), free(before), free(here);
}
