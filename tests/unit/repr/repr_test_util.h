/* Helpers shared by the tp_repr tests: an embedded Python 3.11, and ways to
 * render with tp_repr and with Python's own repr for comparison. */
#ifndef TP_REPR_TEST_UTIL_H
#define TP_REPR_TEST_UTIL_H

#include <Python.h>
#include <stdbool.h>
#include <stddef.h>

#include "repr.h"

void repr_test_python_start(void);   /* Criterion .init */
void repr_test_python_stop(void);    /* Criterion .fini */

/* Runs statements in __main__; fails the test on an exception. */
void run_python(const char *code);
/* Evaluates an expression in __main__; new reference, never NULL. */
PyObject *eval_python(const char *expr);

/* tp_repr / tp_repr_exception into a fresh malloc'd string. */
char *render(PyObject *o, size_t max_chars, bool safe);
char *render_opts(PyObject *o, const tp_repr_opts *opts);
char *render_exception(PyObject *exc, size_t max_chars, bool safe);
/* repr(o) as UTF-8, malloc'd; NULL (error cleared) if repr raised. */
char *python_repr(PyObject *o);

size_t count_code_points(const char *utf8);
/* The first n code points of a UTF-8 string, malloc'd. */
char *first_code_points(const char *utf8, size_t n);
bool is_valid_utf8(const char *s);

#endif
