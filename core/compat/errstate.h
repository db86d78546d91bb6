/* Saving and restoring the thread's pending exception around our own
 * Python calls, so the app never sees a difference. 3.12 keeps one
 * exception object where older versions keep a (type, value, traceback)
 * triple: on 3.12+ only `value` is set. This header is the only place
 * that knows. */
#ifndef TP_COMPAT_ERRSTATE_H
#define TP_COMPAT_ERRSTATE_H

#include <Python.h>

typedef struct tp_errstate {
    PyObject *type, *value, *tb;
} tp_errstate;

static inline void tp_err_save(tp_errstate *s)
{
#if PY_VERSION_HEX >= 0x030C0000
    s->type = s->tb = NULL;
    s->value = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&s->type, &s->value, &s->tb);
#endif
}

/* Drops anything our calls raised, then puts the saved exception back. */
static inline void tp_err_restore(tp_errstate *s)
{
    PyErr_Clear();
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(s->value);
#else
    PyErr_Restore(s->type, s->value, s->tb);
#endif
    s->type = s->value = s->tb = NULL;
}

/* The saved exception's type, or NULL if nothing was pending. */
static inline PyTypeObject *tp_err_type(const tp_errstate *s)
{
    if (s->type && PyType_Check(s->type))
        return (PyTypeObject *)s->type;
    return s->value ? Py_TYPE(s->value) : NULL;
}

#endif
