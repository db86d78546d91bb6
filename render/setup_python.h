/* What tph setup learns from Python about a file: its functions, their
 * signatures and parameters (read with `ast`, never imported). The
 * interpreter is $TRACEPATCH_PYTHON, else python3 on PATH. */
#ifndef TPH_SETUP_PYTHON_H
#define TPH_SETUP_PYTHON_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tp_py_param {
    char *name;
    char kind;              /* p positional-only, a positional or keyword, k keyword-only,
                               * *args, K **kwargs */
    bool has_default;
    char *annotation;       /* its source text; "" when none */
} tp_py_param;

typedef struct tp_py_function {
    char *name;             /* "add"; "Class.method" for methods */
    char *signature;        /* "def add(a, b=1) -> int" */
    bool is_async;
    bool is_method;
    tp_py_param *params;
    size_t n_params;
} tp_py_function;

typedef struct tp_py_module {
    tp_py_function *functions;      /* module level first, in file order */
    size_t n;
    char *error;                    /* the file could not be read or parsed */
} tp_py_module;

/* $TRACEPATCH_PYTHON when set and not empty, else "python3". */
const char *tp_python_command(void);

/* Lists the functions of the Python file `path`. Returns 0 (a file that
 * cannot be parsed sets m->error), or 1 after printing "tph: setup: ..."
 * when Python cannot be run. */
int tp_py_inspect(const char *path, tp_py_module *m);

const tp_py_function *tp_py_find(const tp_py_module *m, const char *name);
void tp_py_module_free(tp_py_module *m);

#endif
