#include "repr_test_util.h"

#include <criterion/criterion.h>
#include <string.h>

#include "guard.h"

/* Lets Python code ask whether the recorder guard is up while it runs. */
static PyObject *guard_active(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyBool_FromLong(tp_guard_active());
}

static PyMethodDef guard_active_def = {"guard_active", guard_active, METH_NOARGS, NULL};

void repr_test_python_start(void)
{
    Py_Initialize();
    PyObject *main = PyImport_AddModule("__main__");
    cr_assert_not_null(main);
    PyObject *f = PyCFunction_New(&guard_active_def, NULL);
    cr_assert_not_null(f);
    cr_assert_eq(PyModule_AddObject(main, "guard_active", f), 0);
    run_python("import sys; sys.path.insert(0, '" REPR_TEST_DIR "'); import values");
}

void repr_test_python_stop(void)
{
    cr_assert_eq(Py_FinalizeEx(), 0);
}

static PyObject *main_dict(void)
{
    PyObject *main = PyImport_AddModule("__main__");
    cr_assert_not_null(main);
    return PyModule_GetDict(main);
}

void run_python(const char *code)
{
    PyObject *g = main_dict();
    PyObject *r = PyRun_String(code, Py_file_input, g, g);
    if (!r)
        PyErr_Print();
    cr_assert_not_null(r, "Python code failed: %s", code);
    Py_DECREF(r);
}

PyObject *eval_python(const char *expr)
{
    PyObject *g = main_dict();
    PyObject *r = PyRun_String(expr, Py_eval_input, g, g);
    if (!r)
        PyErr_Print();
    cr_assert_not_null(r, "Python expression failed: %s", expr);
    return r;
}

static char *take_string(tp_buf *b)
{
    cr_assert(!b->failed);
    char *s = strdup(tp_buf_cstr(b));
    tp_buf_free(b);
    cr_assert_not_null(s);
    return s;
}

char *render_opts(PyObject *o, const tp_repr_opts *opts)
{
    tp_buf b = TP_BUF_INIT;
    tp_buf_puts(&b, "");   /* tp_repr appends: start from an empty, allocated buffer */
    tp_repr(o, opts, &b);
    return take_string(&b);
}

char *render(PyObject *o, size_t max_chars, bool safe)
{
    tp_repr_opts opts = {.max_chars = max_chars, .safe = safe};
    return render_opts(o, &opts);
}

char *render_exception(PyObject *exc, size_t max_chars, bool safe)
{
    tp_repr_opts opts = {.max_chars = max_chars, .safe = safe};
    tp_buf b = TP_BUF_INIT;
    tp_repr_exception(exc, &opts, &b);
    return take_string(&b);
}

char *python_repr(PyObject *o)
{
    PyObject *r = PyObject_Repr(o);
    if (!r) {
        PyErr_Clear();
        return NULL;
    }
    const char *utf8 = PyUnicode_AsUTF8(r);
    cr_assert_not_null(utf8, "repr is not encodable as UTF-8");
    char *copy = strdup(utf8);
    Py_DECREF(r);
    cr_assert_not_null(copy);
    return copy;
}

size_t count_code_points(const char *utf8)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

char *first_code_points(const char *utf8, size_t n)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t seen = 0;
    while (*p) {
        if ((*p & 0xC0) != 0x80 && seen++ == n)
            break;
        p++;
    }
    char *copy = strndup(utf8, (size_t)((const char *)p - utf8));
    cr_assert_not_null(copy);
    return copy;
}

bool is_valid_utf8(const char *s)
{
    PyObject *u = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "strict");
    if (!u) {
        PyErr_Clear();
        return false;
    }
    Py_DECREF(u);
    return true;
}
