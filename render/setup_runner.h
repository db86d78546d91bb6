/* The runner tph setup writes (_tracepatch_filetotest.py): it imports each
 * configured function and calls it once per [[test.inputs]] entry (or once
 * with guessed arguments), printing `✓ NAME returned: VALUE` or
 * `✗ NAME raised: TYPE: MESSAGE`; it exits 1 if anything raised. Everything
 * but the calls is module-level code and builtins, so that the trace shows
 * the user's functions and little else. */
#ifndef TPH_SETUP_RUNNER_H
#define TPH_SETUP_RUNNER_H

#include <stdbool.h>

#include "buf.h"
#include "config_test.h"
#include "setup_python.h"

#define TP_RUNNER_NAME "_tracepatch_filetotest.py"
/* The runner's first line: tph disable removes only a file starting so. */
#define TP_RUNNER_MARK "# Written by `tph setup` (tracepatch)"

/* True if input `in` is meant for function `name` of file `path`: its
 * `function` is NAME or PATH:NAME. */
bool tp_runner_input_matches(const tp_test_input *in, const char *path, const char *name);

/* Appends the runner's text. `modules[i]` is what Python found in
 * t->files[i], whose path is relative to `dir`; `config` names the config
 * file in the header comment. */
void tp_runner_text(const tp_test_tables *t, const tp_py_module *modules, const char *dir,
                    const char *config, tp_buf *out);

#endif
