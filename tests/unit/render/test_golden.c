/* Every case in tests/fixtures/traces/cases.txt: tph's exact stdout (and
 * stderr where expected/NAME.err exists) and exit status. */
#include "tph_run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16

struct golden_case {
    char name[64];
    int status;
    char *args[MAX_ARGS + 1];
};

/* Parses "name|status|arg arg ..." in place; false for comments/blanks. */
static bool parse_case(char *line, struct golden_case *c)
{
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
        return false;
    char *name = strtok(line, "|");
    char *status = strtok(NULL, "|");
    char *args = strtok(NULL, "|");
    cr_assert(name && status, "bad case line");
    snprintf(c->name, sizeof c->name, "%s", name);
    c->status = atoi(status);
    int n = 0;
    for (char *a = args ? strtok(args, " ") : NULL; a && n < MAX_ARGS; a = strtok(NULL, " "))
        c->args[n++] = a;
    c->args[n] = NULL;
    return true;
}

static void check_case(const struct golden_case *c)
{
    char path[512];
    tph_result r = tph_run(FIXTURES, (const char *const *)c->args);
    cr_expect_eq(r.status, c->status, "%s: exit %d, expected %d (stderr: %s)", c->name, r.status,
                 c->status, r.err);
    snprintf(path, sizeof path, "%s/expected/%s.out", FIXTURES, c->name);
    char *want = read_whole_file(path, NULL);
    cr_expect(want != NULL, "%s: missing %s", c->name, path);
    if (want)
        cr_expect_str_eq(r.out, want, "%s: stdout differs", c->name);
    free(want);
    snprintf(path, sizeof path, "%s/expected/%s.err", FIXTURES, c->name);
    char *want_err = read_whole_file(path, NULL);
    cr_expect_str_eq(r.err, want_err ? want_err : "", "%s: stderr differs", c->name);
    free(want_err);
    tph_result_free(&r);
}

static int run_cases(const char *prefix)
{
    FILE *f = fopen(FIXTURES "/cases.txt", "r");
    cr_assert(f != NULL, "cannot open cases.txt");
    char line[1024];
    int ran = 0;
    while (fgets(line, sizeof line, f)) {
        struct golden_case c;
        if (!parse_case(line, &c) || strncmp(c.name, prefix, strlen(prefix)) != 0)
            continue;
        check_case(&c);
        ran++;
    }
    fclose(f);
    return ran;
}

Test(golden, tree) { cr_assert_gt(run_cases("tree_"), 10); }
Test(golden, view) { cr_assert_gt(run_cases("view_"), 3); }
Test(golden, stats) { cr_assert_gt(run_cases("stats_"), 3); }
Test(golden, diff) { cr_assert_gt(run_cases("diff_"), 1); }
Test(golden, logs) { cr_assert_gt(run_cases("logs_"), 3); }
Test(golden, lines) { cr_assert_gt(run_cases("lines_"), 5); }
Test(golden, usage) { cr_assert_gt(run_cases("usage_"), 5); }
Test(golden, errors) { cr_assert_gt(run_cases("error_"), 3); }

Test(cli, version_prints_project_version)
{
    const char *args[] = {"--version", NULL};
    tph_result r = tph_run(FIXTURES, args);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(r.out, "tph " TRACEPATCH_VERSION "\n");
    tph_result_free(&r);
}

Test(cli, help_lists_every_command)
{
    const char *args[] = {"help", NULL};
    tph_result r = tph_run(FIXTURES, args);
    cr_expect_eq(r.status, 0);
    const char *commands[] = {"logs", "view", "tree", "stats", "diff", "config"};
    for (size_t i = 0; i < 6; i++)
        cr_expect(strstr(r.out, commands[i]) != NULL, "help misses %s", commands[i]);
    tph_result_free(&r);
}

Test(cli, help_of_help_is_the_list)
{
    const char *forms[][3] = {{"help", "help", NULL}, {"help", "--help", NULL}, {"--help", NULL, NULL}};
    for (size_t i = 0; i < 3; i++) {
        tph_result r = tph_run(FIXTURES, forms[i]);
        cr_expect_eq(r.status, 0, "form %zu: %s", i, r.err);
        cr_expect(strstr(r.out, "commands:") != NULL, "form %zu: %s", i, r.out);
        tph_result_free(&r);
    }
}

Test(cli, command_help_is_its_usage)
{
    const char *names[] = {"logs", "view", "tree", "stats", "diff"};
    for (size_t i = 0; i < 5; i++) {
        const char *args[] = {names[i], "--help", NULL};
        tph_result r = tph_run(FIXTURES, args);
        char want[64];
        snprintf(want, sizeof want, "usage: tph %s", names[i]);
        cr_expect_eq(r.status, 0, "%s --help", names[i]);
        cr_expect(strncmp(r.out, want, strlen(want)) == 0, "%s --help: %s", names[i], r.out);
        tph_result_free(&r);
        const char *via_help[] = {"help", names[i], NULL};
        tph_result h = tph_run(FIXTURES, via_help);
        cr_expect_eq(h.status, 0);
        cr_expect(strncmp(h.out, want, strlen(want)) == 0, "help %s", names[i]);
        tph_result_free(&h);
    }
}
