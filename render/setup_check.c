/* The checks of tph setup, each problem one line naming the config file
 * and line, then what was found instead. */
#include "setup_check.h"

#include "setup_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void list_found(const tp_test_file *f, const tp_py_module *m)
{
    if (m->n == 0) {
        fprintf(stderr, "  %s defines no functions\n", f->path);
        return;
    }
    fprintf(stderr, "  functions in %s:\n", f->path);
    for (size_t i = 0; i < m->n; i++)
        fprintf(stderr, "    %s\n", m->functions[i].signature);
}

/* The functions of one file; true if all are there and callable. */
static bool check_functions(const tp_project *p, const tp_test_file *f, const tp_py_module *m)
{
    bool ok = true;
    for (size_t i = 0; i < f->functions.n; i++) {
        const char *name = f->functions.items[i];
        const tp_py_function *fn = tp_py_find(m, name);
        if (fn && !fn->is_method)
            continue;
        if (fn)
            fprintf(stderr, "tph: setup: %s:%d: %s: \"%s\" is a method; only module-level "
                    "functions can be called\n", p->cfg.file, f->line, f->path, name);
        else
            fprintf(stderr, "tph: setup: %s:%d: %s: no function \"%s\"\n", p->cfg.file,
                    f->line, f->path, name);
        ok = false;
    }
    if (!ok)
        list_found(f, m);
    return ok;
}

/* One file: 0 fine, 1 a problem was reported, 2 Python could not be run. */
static int check_file(const tp_project *p, const tp_test_file *f, tp_py_module *m)
{
    char *path = tp_project_path(p->dir, f->path);
    struct stat st;
    int rc = 0;
    if (!path) {
        fprintf(stderr, "tph: setup: out of memory\n");
        rc = 2;
    } else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "tph: setup: %s:%d: test.files.path: no file \"%s\" in %s\n",
                p->cfg.file, f->line, f->path, p->dir);
        rc = 1;
    } else if (tp_py_inspect(path, m) != 0) {
        rc = 2;
    } else if (m->error) {
        fprintf(stderr, "tph: setup: %s:%d: %s: cannot be parsed: %s\n", p->cfg.file,
                f->line, f->path, m->error);
        rc = 1;
    } else if (!check_functions(p, f, m)) {
        rc = 1;
    }
    free(path);
    return rc;
}

static bool input_has_target(const tp_test_tables *t, const tp_test_input *in)
{
    for (size_t f = 0; f < t->n_files; f++)
        for (size_t i = 0; i < t->files[f].functions.n; i++)
            if (tp_runner_input_matches(in, t->files[f].path, t->files[f].functions.items[i]))
                return true;
    return false;
}

int tp_setup_check(const tp_project *p, tp_py_module *modules)
{
    int rc = 0;
    const tp_test_tables *t = &p->tables;
    for (size_t i = 0; i < t->n_files && rc < 2; i++) {
        int one = check_file(p, &t->files[i], &modules[i]);
        rc = one > rc ? one : rc;
    }
    for (size_t i = 0; i < t->n_inputs && rc < 2; i++) {
        if (input_has_target(t, &t->inputs[i]))
            continue;
        fprintf(stderr, "tph: setup: %s:%d: test.inputs.function: \"%s\" is not among the "
                "functions of [[test.files]]\n", p->cfg.file, t->inputs[i].line,
                t->inputs[i].function);
        rc = 1;
    }
    return rc ? 1 : 0;
}
