/* Finding the project of tph setup / tph disable: the config file, its
 * directory, the cache directory and the test tables. */
#include "setup_project.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXAMPLE \
    "  # tracepatch.toml, next to the code\n" \
    "  [[test.files]]\n" \
    "  path = \"calc.py\"                # relative to this file\n" \
    "  functions = [\"add\", \"mean\"]\n" \
    "\n" \
    "  [[test.inputs]]                  # optional: without it, arguments are guessed\n" \
    "  function = \"add\"\n" \
    "  args = [2, 3]\n" \
    "  kwargs = {round = true}\n"

static void print_problem(void *ctx, const char *message)
{
    const char *command = ctx;
    fprintf(stderr, "tph: %s: %s\n", command, message);
}

char *tp_project_path(const char *dir, const char *name)
{
    char *path;
    if (name[0] == '/')
        return strdup(name);
    return asprintf(&path, "%s/%s", dir, name) < 0 ? NULL : path;
}

/* The file tp_config_load used: the candidate it marked "used". */
static const char *used_file(const tp_config *cfg)
{
    for (size_t i = 0; i < cfg->n_searched; i++)
        if (strcmp(cfg->searched[i].status, "used") == 0)
            return cfg->searched[i].path;
    return NULL;
}

static bool is_pyproject(const char *path)
{
    const char *slash = strrchr(path, '/');
    return strcmp(slash ? slash + 1 : path, "pyproject.toml") == 0;
}

static int locate(tp_project *p)
{
    const char *used = used_file(&p->cfg);
    if (used) {
        if (!(p->config_path = strdup(used)) || !(p->dir = strdup(used)))
            return -1;
        char *slash = strrchr(p->dir, '/');
        if (slash)
            slash[slash == p->dir] = '\0';
    } else if (!(p->dir = get_current_dir_name())) {
        return -1;
    }
    p->cache_dir = tp_project_path(p->dir, p->cfg.cache_dir);
    return p->cache_dir ? 0 : -1;
}

static int no_tables(const tp_project *p, const char *command)
{
    if (p->config_path)
        fprintf(stderr, "tph: %s: %s has no [[test.files]]%s; add, for example:\n\n%s\n",
                command, p->cfg.file, is_pyproject(p->config_path) ?
                " (in pyproject.toml: [[tool.tracepatch.test.files]])" : "", EXAMPLE);
    else
        fprintf(stderr, "tph: %s: no tracepatch.toml here or above (nor pyproject.toml with "
                "[tool.tracepatch]); create one, for example:\n\n%s\n", command, EXAMPLE);
    return 1;
}

/* The test-table reader's problems: printed, and remembered. */
struct table_problems {
    const char *command;
    tp_project *project;
};

static void table_problem(void *ctx, const char *message)
{
    struct table_problems *tp = ctx;
    tp->project->tables_broken = true;
    print_problem((void *)tp->command, message);
}

static int load_tables(tp_project *p, const char *command)
{
    if (!p->config_path)
        return no_tables(p, command);
    struct table_problems ctx = {command, p};
    int rc = tp_config_load_test_tables(&p->tables, p->config_path, p->cfg.file,
                                        is_pyproject(p->config_path), table_problem, &ctx);
    if (rc == -1) {
        fprintf(stderr, "tph: %s: out of memory\n", command);
        return 1;
    }
    if (rc == -2)
        return 1;
    if (p->tables.n_files == 0 && !p->tables_broken)
        return no_tables(p, command);
    return 0;
}

int tp_project_load(tp_project *p, const char *command, bool want_tables)
{
    memset(p, 0, sizeof *p);
    tp_config_init(&p->cfg);
    if (tp_config_load(&p->cfg, NULL, NULL, print_problem, (void *)command) != 0 ||
        locate(p) != 0) {
        fprintf(stderr, "tph: %s: out of memory\n", command);
        return 1;
    }
    return want_tables ? load_tables(p, command) : 0;
}

void tp_project_free(tp_project *p)
{
    tp_config_free(&p->cfg);
    tp_test_tables_free(&p->tables);
    free(p->config_path);
    free(p->dir);
    free(p->cache_dir);
    memset(p, 0, sizeof *p);
}
