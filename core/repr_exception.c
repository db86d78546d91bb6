/* An exception's text for a call that raised it: "Type: message".
 *
 * The message is str(exc). That runs the app's code when a class of the app
 * defines __str__, or when CPython's own __str__ formats a value that is not
 * a plain one (ValueError(obj) reads str(obj); OSError formats its
 * filename). With repr = "safe" no code of the app may run, so there such a
 * message is built from the exception's args the way BaseException.__str__
 * builds it, each value in its safe form. */
#include "repr_internal.h"

#include <structmember.h>

#include "compat/api.h"
#include "guard.h"

/* Tuples in args nest this deep at most (SyntaxError's details); deeper is
 * not plain, which only means the safe form is used. */
#define PLAIN_NESTING 2

/* A value whose str() and repr() are CPython's own code all the way down.
 * (Under python -b, str() of bytes warns, as it does in the app, and an app
 * that replaced warnings.showwarning sees that warning.) */
static bool is_plain(PyObject *o, int nesting)
{
    if (!o || o == Py_None || PyBool_Check(o) || PyLong_CheckExact(o) ||
        PyFloat_CheckExact(o) || PyUnicode_CheckExact(o) || PyBytes_CheckExact(o))
        return true;
    if (!PyTuple_CheckExact(o) || nesting == 0)
        return false;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++) {
        if (!is_plain(PyTuple_GET_ITEM(o, i), nesting - 1))
            return false;
    }
    return true;
}

/* An exception group's `exceptions`, which its __str__ only counts. */
static bool is_exception_tuple(PyObject *o)
{
    if (!PyTuple_CheckExact(o))
        return false;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++) {
        if (!PyExceptionInstance_Check(PyTuple_GET_ITEM(o, i)))
            return false;
    }
    return true;
}

/* Whether the object attributes CPython's exception types keep in their C
 * struct (OSError's filename, SyntaxError's msg, ...) are all plain: the
 * types' own __str__ format some of them. */
static bool members_are_plain(PyObject *exc, PyTypeObject *builtin)
{
    for (PyTypeObject *tp = builtin; tp; tp = tp->tp_base) {
        for (const PyMemberDef *m = tp->tp_members; m && m->name; m++) {
            if (m->type != T_OBJECT && m->type != T_OBJECT_EX)
                continue;
            PyObject *v = *(PyObject **)((char *)exc + m->offset);
            if (!is_plain(v, PLAIN_NESTING) && !is_exception_tuple(v))
                return false;
        }
    }
    return true;
}

/* Whether str(exc) runs only CPython's code: the str of its first class
 * that is not a heap type (not defined by the app) is the one it has, and
 * every value that str may format (its args, but a group's) is plain. */
static bool str_runs_no_app_code(PyObject *exc)
{
    if (!PyExceptionInstance_Check(exc))
        return false;
    PyTypeObject *builtin = Py_TYPE(exc);
    while (builtin && (builtin->tp_flags & Py_TPFLAGS_HEAPTYPE))
        builtin = builtin->tp_base;
    if (!builtin || builtin->tp_str != Py_TYPE(exc)->tp_str)
        return false;
    PyObject *args = ((PyBaseExceptionObject *)exc)->args;
    return (tp_is_exception_group(exc) || is_plain(args, PLAIN_NESTING)) &&
           members_are_plain(exc, builtin);
}

/* BaseException.__str__'s message from safe forms: nothing for no args,
 * a lone str's characters, else the value or the tuple as repr shows it. */
static void render_args_safely(tp_render *r, PyObject *exc)
{
    if (!PyExceptionInstance_Check(exc)) {   /* not an exception instance: no args */
        tp_sink_cstr(&r->sink, ": ");
        tp_render_value(r, exc);
        return;
    }
    PyObject *args = ((PyBaseExceptionObject *)exc)->args;
    if (!args || (PyTuple_Check(args) && PyTuple_GET_SIZE(args) == 0))
        return;
    tp_sink_cstr(&r->sink, ": ");
    if (!PyTuple_Check(args) || PyTuple_GET_SIZE(args) > 1)
        tp_render_value(r, args);
    else if (PyUnicode_CheckExact(PyTuple_GET_ITEM(args, 0)))
        tp_render_text(r, PyTuple_GET_ITEM(args, 0));
    else
        tp_render_value(r, PyTuple_GET_ITEM(args, 0));
}

static void render_message(tp_render *r, PyObject *exc)
{
    tp_guard_enter();
    PyObject *message = PyObject_Str(exc);
    tp_guard_exit();
    if (!message) {
        tp_sink_cstr(&r->sink, ": ");
        tp_render_failure(r, "str");
        return;
    }
    if (PyUnicode_GET_LENGTH(message) > 0) {   /* PyObject_Str readies its result */
        tp_sink_cstr(&r->sink, ": ");
        tp_render_text(r, message);
    }
    tp_release(message);
}

void tp_render_exception(tp_render *r, PyObject *exc)
{
    if (PyExceptionClass_Check(exc)) {
        tp_render_type_name(r, (PyTypeObject *)exc);
        return;
    }
    tp_render_type_name(r, Py_TYPE(exc));
    if (r->opts->safe && !str_runs_no_app_code(exc))
        render_args_safely(r, exc);
    else
        render_message(r, exc);
}
