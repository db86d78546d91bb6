/* The Python side of tph setup's checks: which interpreter, and a helper
 * run with it (python -c) that lists a file's functions with their
 * signatures and parameters, read with `ast` (the file is not imported). */
#include "setup_python.h"

#include "setup_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints one tab-separated line per function ("def", name, async, method,
 * signature) followed by its parameters ("param", kind, has-default, name,
 * annotation), or one "error" line. Kinds: p positional-only, a positional
 * or keyword, k keyword-only, * and K the catch-alls. Python 3.8+. */
static const char helper[] =
    "import ast, sys\n"
    "if sys.version_info < (3, 8):\n"
    "    sys.exit(\"Python 3.8 or later is needed, this is %d.%d\" % sys.version_info[:2])\n"
    "\n"
    "\n"
    "def clean(text):\n"
    "    return \" \".join(str(text).split())\n"
    "\n"
    "\n"
    "def out(*fields):\n"
    "    sys.stdout.write(\"\\t\".join(clean(f) for f in fields) + \"\\n\")\n"
    "\n"
    "\n"
    "try:\n"
    "    with open(sys.argv[1], \"rb\") as f:\n"
    "        source = f.read()\n"
    "    tree = ast.parse(source, sys.argv[1])\n"
    "    text = source.decode(\"utf-8\", \"replace\")\n"
    "except SyntaxError as e:\n"
    "    out(\"error\", \"line %s: %s\" % (e.lineno, e.msg))\n"
    "    sys.exit(0)\n"
    "except (OSError, ValueError) as e:\n"
    "    out(\"error\", getattr(e, \"strerror\", None) or e)\n"
    "    sys.exit(0)\n"
    "\n"
    "\n"
    "def seg(node):\n"
    "    found = ast.get_source_segment(text, node)\n"
    "    return found if found is not None else \"...\"\n"
    "\n"
    "\n"
    "def param(arg, default, kind, parts):\n"
    "    shown = arg.arg\n"
    "    if arg.annotation is not None:\n"
    "        shown += \": \" + seg(arg.annotation)\n"
    "    if default is not None:\n"
    "        shown += (\" = \" if arg.annotation is not None else \"=\") + seg(default)\n"
    "    parts.append(shown)\n"
    "    note = seg(arg.annotation) if arg.annotation is not None else \"\"\n"
    "    return (\"param\", kind, \"1\" if default is not None else \"0\", arg.arg, note)\n"
    "\n"
    "\n"
    "def describe(fn, prefix):\n"
    "    a = fn.args\n"
    "    parts, params = [], []\n"
    "    positional = a.posonlyargs + a.args\n"
    "    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)\n"
    "    for i, (arg, default) in enumerate(zip(positional, defaults)):\n"
    "        kind = \"p\" if i < len(a.posonlyargs) else \"a\"\n"
    "        params.append(param(arg, default, kind, parts))\n"
    "        if a.posonlyargs and i == len(a.posonlyargs) - 1:\n"
    "            parts.append(\"/\")\n"
    "    if a.vararg is not None:\n"
    "        parts.append(\"*\" + a.vararg.arg)\n"
    "        params.append((\"param\", \"*\", \"1\", a.vararg.arg, \"\"))\n"
    "    elif a.kwonlyargs:\n"
    "        parts.append(\"*\")\n"
    "    for arg, default in zip(a.kwonlyargs, a.kw_defaults):\n"
    "        params.append(param(arg, default, \"k\", parts))\n"
    "    if a.kwarg is not None:\n"
    "        parts.append(\"**\" + a.kwarg.arg)\n"
    "        params.append((\"param\", \"K\", \"1\", a.kwarg.arg, \"\"))\n"
    "    is_async = isinstance(fn, ast.AsyncFunctionDef)\n"
    "    shown = \"%sdef %s%s(%s)\" % (\"async \" if is_async else \"\", prefix, fn.name, \", \".join(parts))\n"
    "    if fn.returns is not None:\n"
    "        shown += \" -> \" + seg(fn.returns)\n"
    "    out(\"def\", prefix + fn.name, \"1\" if is_async else \"0\", \"1\" if prefix else \"0\", shown)\n"
    "    for p in params:\n"
    "        out(*p)\n"
    "\n"
    "\n"
    "FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)\n"
    "for node in tree.body:\n"
    "    if isinstance(node, FUNCTIONS):\n"
    "        describe(node, \"\")\n"
    "    elif isinstance(node, ast.ClassDef):\n"
    "        for sub in node.body:\n"
    "            if isinstance(sub, FUNCTIONS):\n"
    "                describe(sub, node.name + \".\")\n";

const char *tp_python_command(void)
{
    const char *python = getenv("TRACEPATCH_PYTHON");
    return python && *python ? python : "python3";
}

/* Splits `line` at tabs in place; returns the number of fields. */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static bool add_function(tp_py_module *m, char **f)
{
    tp_py_function *list = realloc(m->functions, (m->n + 1) * sizeof *list);
    if (!list)
        return false;
    m->functions = list;
    tp_py_function *fn = &list[m->n];
    memset(fn, 0, sizeof *fn);
    fn->is_async = f[2][0] == '1';
    fn->is_method = f[3][0] == '1';
    fn->name = strdup(f[1]);
    fn->signature = strdup(f[4]);
    m->n++;
    return fn->name && fn->signature;
}

static bool add_param(tp_py_module *m, char **f)
{
    if (m->n == 0)
        return true;
    tp_py_function *fn = &m->functions[m->n - 1];
    tp_py_param *list = realloc(fn->params, (fn->n_params + 1) * sizeof *list);
    if (!list)
        return false;
    fn->params = list;
    tp_py_param *p = &list[fn->n_params++];
    p->kind = f[1][0];
    p->has_default = f[2][0] == '1';
    p->name = strdup(f[3]);
    p->annotation = strdup(f[4]);
    return p->name && p->annotation;
}

/* One line of the helper's output; false when memory ran out. */
static bool take_line(tp_py_module *m, char *line)
{
    char *f[5];
    size_t n = split_fields(line, f, 5);
    if (n == 2 && strcmp(f[0], "error") == 0)
        return m->error || (m->error = strdup(f[1])) != NULL;
    if (n == 5 && strcmp(f[0], "def") == 0)
        return add_function(m, f);
    if (n == 5 && strcmp(f[0], "param") == 0)
        return add_param(m, f);
    return true;
}

static bool take_output(tp_py_module *m, tp_buf *out)
{
    char *text = out->len ? out->data : NULL;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (!take_line(m, line))
            return false;
        line = nl ? nl + 1 : NULL;
    }
    return true;
}

/* Explains a helper that did not run to the end. */
static void report_failure(const tp_exec_result *r, const tp_buf *err)
{
    const char *python = tp_python_command();
    if (!r->started) {
        fprintf(stderr, "tph: setup: cannot run %s: %s (set TRACEPATCH_PYTHON to a Python "
                "3.8 or later)\n", python, strerror(r->errno_value));
        return;
    }
    const char *text = err->len ? err->data : "";
    const char *last = text + strlen(text);
    while (last > text && last[-1] == '\n')
        last--;
    const char *start = last;
    while (start > text && start[-1] != '\n')
        start--;
    fprintf(stderr, "tph: setup: %s could not list the functions (exit status %d)%s%.*s\n",
            python, r->status, start < last ? ": " : "", (int)(last - start), start);
}

int tp_py_inspect(const char *path, tp_py_module *m)
{
    memset(m, 0, sizeof *m);
    char *argv[] = {(char *)tp_python_command(), "-I", "-c", (char *)helper, (char *)path,
                    NULL};
    tp_buf out = TP_BUF_INIT, err = TP_BUF_INIT;
    tp_exec_result r;
    bool ok = tp_exec_capture(argv, &out, &err, &r);
    int rc = 0;
    if (!ok || !take_output(m, &out)) {
        fprintf(stderr, "tph: setup: out of memory\n");
        rc = 1;
    } else if (!r.started || r.status != 0) {
        report_failure(&r, &err);
        rc = 1;
    }
    tp_buf_free(&out);
    tp_buf_free(&err);
    return rc;
}

const tp_py_function *tp_py_find(const tp_py_module *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->functions[i].name, name) == 0)
            return &m->functions[i];
    return NULL;
}

void tp_py_module_free(tp_py_module *m)
{
    for (size_t i = 0; i < m->n; i++) {
        tp_py_function *fn = &m->functions[i];
        for (size_t j = 0; j < fn->n_params; j++) {
            free(fn->params[j].name);
            free(fn->params[j].annotation);
        }
        free(fn->params);
        free(fn->name);
        free(fn->signature);
    }
    free(m->functions);
    free(m->error);
    memset(m, 0, sizeof *m);
}
