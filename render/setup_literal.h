/* Config values (TOML inline values) written as Python source for the
 * runner tph setup writes. */
#ifndef TPH_SETUP_LITERAL_H
#define TPH_SETUP_LITERAL_H

#include "buf.h"
#include "config_test.h"

/* Appends `v` as a Python expression: "text", 3, 2.5, float("inf"), True,
 * [..], {"key": ..}. */
void tp_python_literal(const tp_tvalue *v, tp_buf *out);

/* Appends `s` as a Python string literal (UTF-8 kept, controls escaped). */
void tp_python_string(const char *s, tp_buf *out);

#endif
