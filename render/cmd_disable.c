/* tph disable: removes what tph setup created, as its state file lists it,
 * and says what it removed. Traces stay: a cache directory setup created is
 * removed only when nothing but its own files is left in it. */
#include "cli.h"
#include "commands.h"
#include "setup_install.h"
#include "setup_project.h"
#include "setup_runner.h"
#include "setup_state.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "tph disable"

#define HELP \
    "Removes what tph setup created (the runner " TP_RUNNER_NAME ",\n" \
    "its state file and, if setup made it and no trace is in it, the cache\n" \
    "directory). Traces are kept. Exit status 1 when there is no setup state.\n"

/* Inside one of the directories setup created? */
static bool in_created_dir(const tp_setup_state *s, const char *path)
{
    for (size_t i = 0; i < s->dirs.n; i++) {
        size_t n = strlen(s->dirs.items[i]);
        if (strncmp(path, s->dirs.items[i], n) == 0 && path[n] == '/')
            return true;
    }
    return false;
}

/* The runner is removed only while it still carries setup's first line. */
static bool still_ours(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (strcmp(slash ? slash + 1 : path, TP_RUNNER_NAME) != 0)
        return true;
    FILE *f = fopen(path, "re");
    if (!f)
        return true;
    char first[128] = "";
    bool marked = fgets(first, sizeof first, f) &&
                  strncmp(first, TP_RUNNER_MARK, strlen(TP_RUNNER_MARK)) == 0;
    fclose(f);
    return marked;
}

static int remove_file(const char *path)
{
    if (!still_ours(path)) {
        fprintf(stderr, "tph: disable: kept %s: it no longer starts with tph setup's header\n",
                tp_shown_path(path));
        return 1;
    }
    if (unlink(path) == 0) {
        printf("removed %s\n", tp_shown_path(path));
        return 0;
    }
    if (errno == ENOENT) {
        printf("already gone: %s\n", tp_shown_path(path));
        return 0;
    }
    fprintf(stderr, "tph: disable: %s: %s\n", tp_shown_path(path), strerror(errno));
    return 1;
}

/* Entries of `dir` that setup did not create (README is the core's note
 * that comes with the directory). */
static size_t foreign_entries(const char *dir, const tp_setup_state *s)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "README"))
            continue;
        char *path = tp_project_path(dir, e->d_name);
        n += !path || !tp_state_has(&s->files, path);
        free(path);
    }
    if (d)
        closedir(d);
    return n;
}

static int remove_dir(const char *dir, const tp_setup_state *s)
{
    size_t others = foreign_entries(dir, s);
    if (others) {
        printf("kept %s: it holds %zu other file%s (traces); its .gitignore keeps them out "
               "of git\n", tp_shown_path(dir), others, others == 1 ? "" : "s");
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < s->files.n; i++)
        if (in_created_dir(s, s->files.items[i]))
            rc |= remove_file(s->files.items[i]);
    char *readme = tp_project_path(dir, "README");
    if (readme)
        unlink(readme);
    free(readme);
    if (rmdir(dir) == 0)
        printf("removed %s/\n", tp_shown_path(dir));
    else if (errno != ENOENT) {
        fprintf(stderr, "tph: disable: %s: %s\n", tp_shown_path(dir), strerror(errno));
        rc = 1;
    }
    return rc;
}

static int disable(void)
{
    tp_project p;
    if (tp_project_load(&p, "disable", false) != 0)
        return 1;
    tp_setup_state s;
    int rc = tp_state_read(p.cache_dir, "disable", &s);
    if (rc == 1)
        fprintf(stderr, "tph: disable: nothing to remove: no setup state in %s (tph setup "
                "was not run here)\n", tp_shown_path(p.cache_dir));
    if (rc != 0) {
        tp_project_free(&p);
        return 1;
    }
    for (size_t i = 0; i < s.files.n; i++)
        if (!in_created_dir(&s, s.files.items[i]))
            rc |= remove_file(s.files.items[i]);
    char *state = tp_project_path(p.cache_dir, TP_STATE_NAME);
    rc |= state ? remove_file(state) : 1;
    free(state);
    for (size_t i = 0; i < s.dirs.n; i++)
        rc |= remove_dir(s.dirs.items[i], &s);
    tp_state_free(&s);
    tp_project_free(&p);
    return rc;
}

int cmd_disable(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: %s\n\n%s", USAGE, HELP);
            return 0;
        }
        return tp_bad_option("disable", USAGE, c, argv);
    }
    if (optind != argc)
        return tp_usage_error("disable", USAGE, "unexpected argument", argv[optind]);
    return disable();
}
