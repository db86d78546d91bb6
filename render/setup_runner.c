/* Writing the runner: a header, one import block per file, one try block
 * per call, and the clean-up of the example file. */
#include "setup_runner.h"

#include "setup_guess.h"
#include "setup_literal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char prologue[] =
    "import os\n"
    "import sys\n"
    "\n"
    "sys.dont_write_bytecode = True  # leave no __pycache__ in the project\n"
    "_HERE = __file__.rpartition(\"/\")[0] or \".\"\n"
    "if _HERE[0] != \"/\":\n"
    "    _HERE = os.getcwd() + \"/\" + _HERE\n"
    "_failed = 0\n";

/* Guessed path and directory arguments: a file holding "example\n" in a
 * fresh private directory, removed at the end. */
static const char temp_setup[] =
    "_TEMP = \"/tmp/tracepatch-harness-%d\" % os.getpid()\n"
    "try:\n"
    "    os.mkdir(_TEMP, 0o700)\n"
    "except OSError:\n"
    "    import tempfile\n"
    "    _TEMP = tempfile.mkdtemp(prefix=\"tracepatch-harness-\")\n"
    "_FILE = _TEMP + \"/example.txt\"\n"
    "with open(_FILE, \"wb\") as _f:\n"
    "    _f.write(b\"example\\n\")\n";

static const char temp_cleanup[] =
    "try:\n"
    "    os.remove(_FILE)\n"
    "    os.rmdir(_TEMP)\n"
    "except OSError:\n"
    "    import shutil\n"
    "    shutil.rmtree(_TEMP, ignore_errors=True)\n";

bool tp_runner_input_matches(const tp_test_input *in, const char *path, const char *name)
{
    const char *colon = strrchr(in->function, ':');
    if (!colon)
        return strcmp(in->function, name) == 0;
    size_t n = (size_t)(colon - in->function);
    return strcmp(colon + 1, name) == 0 && strlen(path) == n &&
           memcmp(in->function, path, n) == 0;
}

/* ---- imports ---- */

static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || isdigit((unsigned char)s[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

static bool has_init(const char *folder)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/__init__.py", folder);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A path under `dir` as `_HERE + "/rest"`, else as a literal. */
static void path_expr(const char *dir, const char *path, tp_buf *out)
{
    size_t n = strlen(dir);
    if (strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/')) {
        tp_buf_puts(out, "_HERE");
        if (path[n]) {
            tp_buf_puts(out, " + ");
            tp_python_string(path + n, out);
        }
        return;
    }
    tp_python_string(path, out);
}

/* `import pkg.mod as _mN` after putting the package root on sys.path. */
static bool put_plain_import(const char *dir, const char *full, size_t index, tp_buf *out)
{
    char folder[4096];
    const char *slash = strrchr(full, '/');
    size_t len = (size_t)(slash - full);
    const char *base = slash + 1;
    size_t stem = strlen(base) - 3;
    if (len >= sizeof folder || !is_identifier(base, stem))
        return false;
    memcpy(folder, full, len);
    folder[len] = '\0';
    tp_buf module = TP_BUF_INIT;
    tp_buf_append(&module, base, stem);
    char *cut;
    while (has_init(folder) && (cut = strrchr(folder, '/')) && cut != folder &&
           is_identifier(cut + 1, strlen(cut + 1))) {
        tp_buf head = TP_BUF_INIT;
        tp_buf_printf(&head, "%s.%s", cut + 1, tp_buf_cstr(&module));
        tp_buf_free(&module);
        module = head;
        *cut = '\0';
    }
    tp_buf_puts(out, "sys.path.insert(0, ");
    path_expr(dir, folder, out);
    tp_buf_printf(out, ")\ntry:\n    import %s as _m%zu\n", tp_buf_cstr(&module), index);
    if (module.failed)
        out->failed = true;
    tp_buf_free(&module);
    return true;
}

/* Files whose names are not identifiers: loaded from their path. */
static void put_path_import(const char *dir, const char *full, size_t index, tp_buf *out)
{
    const char *base = strrchr(full, '/') + 1;
    tp_buf_puts(out, "try:\n    import importlib.util\n    _spec = importlib.util."
                     "spec_from_file_location(\"");
    for (const char *p = base; *p && strcmp(p, ".py") != 0; p++)
        tp_buf_putc(out, isalnum((unsigned char)*p) ? *p : '_');
    tp_buf_puts(out, "\", ");
    path_expr(dir, full, out);
    tp_buf_printf(out, ")\n    _m%zu = importlib.util.module_from_spec(_spec)\n"
                       "    _spec.loader.exec_module(_m%zu)\n", index, index);
}

static void put_import(const char *dir, const tp_test_file *f, size_t index, tp_buf *out)
{
    tp_buf full = TP_BUF_INIT;
    if (f->path[0] == '/')
        tp_buf_puts(&full, f->path);
    else
        tp_buf_printf(&full, "%s/%s", dir, f->path);
    const char *text = tp_buf_cstr(&full);
    size_t n = strlen(text);
    tp_buf_puts(out, "\n# ");
    tp_buf_puts(out, f->path);
    tp_buf_putc(out, '\n');
    if (n < 4 || strcmp(text + n - 3, ".py") != 0 || !put_plain_import(dir, text, index, out))
        put_path_import(dir, text, index, out);
    tp_buf_puts(out, "except Exception as _e:\n    _failed += 1\n    print(\"\\u2717 import of \" + ");
    tp_python_string(f->path, out);
    tp_buf_puts(out, " + \" raised: %s: %s\" % (type(_e).__name__, _e))\nelse:\n");
    tp_buf_free(&full);
}

/* ---- calls ---- */

/* Arguments for the parameters without defaults; true if any was guessed. */
static bool put_guessed_args(const tp_py_function *fn, tp_buf *out)
{
    bool first = true;
    for (size_t i = 0; i < fn->n_params; i++) {
        const tp_py_param *p = &fn->params[i];
        if (p->has_default || p->kind == '*' || p->kind == 'K')
            continue;
        tp_buf_puts(out, first ? "" : ", ");
        if (p->kind != 'p')
            tp_buf_printf(out, "%s=", p->name);
        tp_buf_puts(out, tp_guess_argument(p->name, p->annotation));
        first = false;
    }
    return !first;
}

/* Can `key` be written as `key=value` in a call? */
static bool plain_keyword(const char *key)
{
    static const char *const reserved[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
        "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
        "raise", "return", "try", "while", "with", "yield",
    };
    if (!is_identifier(key, strlen(key)))
        return false;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(key, reserved[i]) == 0)
            return false;
    return true;
}

/* The args, then `key=value` for each keyword (`**{"key": value}` for
 * keys that cannot be written so). */
static void put_configured_args(const tp_test_input *in, tp_buf *out)
{
    const char *sep = "";
    for (size_t i = 0; i < in->args.n; i++, sep = ", ") {
        tp_buf_puts(out, sep);
        tp_python_literal(&in->args.items[i], out);
    }
    for (size_t i = 0; i < in->kwargs.n; i++, sep = ", ") {
        const char *key = in->kwargs.keys[i];
        tp_buf_puts(out, sep);
        if (plain_keyword(key))
            tp_buf_printf(out, "%s=", key);
        else {
            tp_buf_puts(out, "**{");
            tp_python_string(key, out);
            tp_buf_puts(out, ": ");
        }
        tp_python_literal(&in->kwargs.items[i], out);
        tp_buf_puts(out, plain_keyword(key) ? "" : "}");
    }
}

/* `_mN.name(ARGS)`; true if an argument was guessed. `in` NULL: guess. */
static bool put_expression(const tp_py_function *fn, size_t index, const tp_test_input *in,
                           tp_buf *out)
{
    tp_buf_printf(out, "_m%zu.%s(", index, fn->name);
    bool guessed = false;
    if (in)
        put_configured_args(in, out);
    else
        guessed = put_guessed_args(fn, out);
    tp_buf_putc(out, ')');
    return guessed;
}

/* A coroutine is driven by hand: importing asyncio would record thousands
 * of module-level calls. Only one that waits on a real event loop is
 * closed and called again under asyncio.run. */
static void put_async_call(const tp_py_function *fn, size_t index, const tp_test_input *in,
                           tp_buf *out)
{
    tp_buf_puts(out, "        _c = ");
    bool guessed = put_expression(fn, index, in, out);
    tp_buf_puts(out, guessed ? "  # guessed\n" : "\n");
    tp_buf_puts(out, "        try:\n            _c.send(None)\n"
                     "        except StopIteration as _s:\n            _r = _s.value\n"
                     "        else:\n            _c.close()\n            import asyncio\n"
                     "            _r = asyncio.run(");
    put_expression(fn, index, in, out);
    tp_buf_puts(out, ")\n");
}

/* One try block: the call, then the ✓ or ✗ line. `in` NULL: guessed. */
static void put_call(const tp_py_function *fn, size_t index, const tp_test_input *in, tp_buf *out)
{
    tp_buf_puts(out, "    try:\n");
    if (fn->is_async) {
        put_async_call(fn, index, in, out);
    } else {
        tp_buf_puts(out, "        _r = ");
        tp_buf_puts(out, put_expression(fn, index, in, out) ? "  # guessed\n" : "\n");
    }
    tp_buf_printf(out, "        print(\"\\u2713 %s returned: %%.200r\" %% (_r,))\n", fn->name);
    tp_buf_printf(out, "    except Exception as _e:\n        _failed += 1\n        print(\"\\u2717 "
                       "%s raised: %%s: %%s\" %% (type(_e).__name__, _e))\n", fn->name);
}

static void put_file_calls(const tp_test_tables *t, size_t f, const tp_py_module *m, tp_buf *out)
{
    const tp_test_file *file = &t->files[f];
    for (size_t i = 0; i < file->functions.n; i++) {
        const tp_py_function *fn = tp_py_find(m, file->functions.items[i]);
        bool any = false;
        for (size_t k = 0; fn && k < t->n_inputs; k++)
            if (tp_runner_input_matches(&t->inputs[k], file->path, fn->name)) {
                put_call(fn, f + 1, &t->inputs[k], out);
                any = true;
            }
        if (fn && !any)
            put_call(fn, f + 1, NULL, out);
    }
}

/* ---- the whole file ---- */

/* Does a guessed argument use the example file or directory? */
static bool needs_temp(const tp_test_tables *t, const tp_py_module *modules)
{
    for (size_t f = 0; f < t->n_files; f++)
        for (size_t i = 0; i < t->files[f].functions.n; i++) {
            const tp_py_function *fn = tp_py_find(&modules[f], t->files[f].functions.items[i]);
            for (size_t p = 0; fn && p < fn->n_params; p++) {
                const char *g = tp_guess_argument(fn->params[p].name, fn->params[p].annotation);
                if (!fn->params[p].has_default && g[0] == '_')
                    return true;
            }
        }
    return false;
}

static void put_header(const char *config, tp_buf *out)
{
    tp_buf_printf(out, "%s from the [[test.files]] and\n"
                       "# [[test.inputs]] of %s: it imports each function and calls it.\n"
                       "# `tph disable` removes it. Run it under the preload:\n"
                       "#     tph run --autostart -- python3 %s\n"
                       "# Calls marked \"guessed\" take arguments guessed from parameter names\n"
                       "# and annotations (docs/harness.md); give real ones with [[test.inputs]].\n",
                  TP_RUNNER_MARK, config, TP_RUNNER_NAME);
}

void tp_runner_text(const tp_test_tables *t, const tp_py_module *modules, const char *dir,
                    const char *config, tp_buf *out)
{
    bool temp = needs_temp(t, modules);
    put_header(config, out);
    tp_buf_puts(out, prologue);
    if (temp)
        tp_buf_puts(out, temp_setup);
    for (size_t f = 0; f < t->n_files; f++) {
        put_import(dir, &t->files[f], f + 1, out);
        put_file_calls(t, f, &modules[f], out);
    }
    tp_buf_puts(out, "\n");
    if (temp)
        tp_buf_puts(out, temp_cleanup);
    tp_buf_puts(out, "sys.exit(1 if _failed else 0)\n");
}
