/* Finding the config file: TRACEPATCH_CONFIG, or tracepatch.toml /
 * pyproject.toml from the working directory up to the root. Every file
 * looked at is recorded in cfg->searched for `tph config`. */
#include "config_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper directory trees than this are not searched further up. */
#define MAX_SEARCH_LEVELS 256

static int add_candidate(tp_config *cfg, const char *path, const char *status)
{
    tp_config_candidate *list = realloc(cfg->searched, (cfg->n_searched + 1) * sizeof *list);
    if (!list)
        return -1;
    cfg->searched = list;
    char *copy = strdup(path);
    if (!copy)
        return -1;
    list[cfg->n_searched++] = (tp_config_candidate){copy, status};
    return 0;
}

static tp_file_kind kind_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    return strcmp(base, "pyproject.toml") == 0 ? TP_FILE_PYPROJECT : TP_FILE_TRACEPATCH;
}

/* How one candidate turned out. */
typedef struct candidate {
    const char *path;       /* to open */
    const char *display;    /* in messages */
    const char *via;        /* variable that named it, or NULL */
    bool named;             /* named by the user: every problem is reported */
    bool found;             /* out: the search stops here */
    const char *status;     /* out */
} candidate;

static int apply_candidate_text(tp_config *cfg, candidate *c, const char *data, size_t len,
                                tp_config_report_fn report, void *ctx)
{
    tp_reporter rep = {report, ctx, c->display, 0};
    bool has_table;
    int rc = tp_config_apply_text(cfg, data, len, kind_of(c->path), &rep, &has_table);
    if (rc == 0 && !has_table && c->named && kind_of(c->path) == TP_FILE_PYPROJECT)
        tp_report(&rep, 0, NULL, "no [tool.tracepatch] table");
    tp_report_finish(&rep);
    bool pyproject = kind_of(c->path) == TP_FILE_PYPROJECT;
    c->found = has_table || c->named || !pyproject;
    c->status = has_table ? "used" : pyproject ? "no [tool.tracepatch] table" : "ignored";
    if (rc == 0 && has_table) {
        free(cfg->file);
        if (!(cfg->file = strdup(c->display)))
            return -1;
    }
    return rc;
}

/* Reports a file that exists but cannot be used, when it is ours to judge. */
static void unusable(candidate *c, const char *why, const char *status,
                     tp_config_report_fn report, void *ctx)
{
    c->status = status;
    if (!c->named && kind_of(c->path) == TP_FILE_PYPROJECT)
        return;     /* someone else's file: skip it quietly, keep looking */
    c->found = true;
    tp_reporter rep = {report, ctx, c->display, 0};
    tp_report(&rep, 0, NULL, why);
}

static int try_candidate(tp_config *cfg, candidate *c, tp_config_report_fn report, void *ctx)
{
    char *data = NULL;
    size_t len = 0;
    const char *why = NULL;
    c->found = false;
    int rc = tp_config_read_file(c->path, &data, &len, &why);
    if (rc == -1 && errno == ENOMEM)
        return -1;
    if (rc == -1 && (errno == ENOENT || errno == ENOTDIR) && !c->named) {
        c->status = "not found";
        rc = 0;
    } else if (rc == -1 && c->via) {
        char message[256];
        snprintf(message, sizeof message, "%s: %s: %s", c->via, c->display, strerror(errno));
        tp_reporter rep = {report, ctx, NULL, 0};
        c->status = "could not be read";
        c->found = true;
        tp_report(&rep, 0, NULL, message);
        rc = 0;
    } else if (rc == -1) {
        unusable(c, strerror(errno), "could not be read", report, ctx);
        rc = 0;
    } else if (rc == -2) {
        unusable(c, why, why, report, ctx);
        rc = 0;
    } else {
        rc = apply_candidate_text(cfg, c, data, len, report, ctx);
    }
    free(data);
    if (rc == -1)
        return -1;
    return add_candidate(cfg, c->path, c->status);
}

static char *join_path(const char *dir, const char *name)
{
    char *path;
    const char *sep = dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/";
    return asprintf(&path, "%s%s%s", dir, sep, name) < 0 ? NULL : path;
}

int tp_config_use_file(tp_config *cfg, const char *cwd, const char *path, const char *via,
                       tp_config_report_fn report, void *ctx)
{
    char *full = path[0] == '/' ? strdup(path) : join_path(cwd, path);
    if (!full)
        return -1;
    candidate c = {.path = full, .display = path, .via = via, .named = true};
    int rc = try_candidate(cfg, &c, report, ctx);
    free(full);
    return rc;
}

/* Looks in one directory; `at_cwd` shortens names in messages. */
static int search_directory(tp_config *cfg, const char *dir, bool at_cwd, bool *found,
                            tp_config_report_fn report, void *ctx)
{
    static const char *const names[] = {"tracepatch.toml", "pyproject.toml"};
    for (size_t i = 0; i < 2 && !*found; i++) {
        char *path = join_path(dir, names[i]);
        if (!path)
            return -1;
        candidate c = {.path = path, .display = at_cwd ? names[i] : path};
        int rc = try_candidate(cfg, &c, report, ctx);
        free(path);
        if (rc != 0)
            return rc;
        *found = c.found;
    }
    return 0;
}

/* Cuts dir to its parent in place; false at the top. */
static bool go_up(char *dir)
{
    char *slash = strrchr(dir, '/');
    if (!slash || (slash == dir && dir[1] == '\0'))
        return false;
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    return true;
}

int tp_config_search(tp_config *cfg, const char *cwd, tp_config_report_fn report, void *ctx)
{
    char *dir = strdup(cwd);
    if (!dir)
        return -1;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    bool found = false;
    int rc = 0;
    for (int level = 0; rc == 0 && !found && level < MAX_SEARCH_LEVELS; level++) {
        rc = search_directory(cfg, dir, level == 0, &found, report, ctx);
        if (!go_up(dir))
            break;
    }
    free(dir);
    return rc;
}
