/* Saving and restoring the thread's pending exception around our own
 * Python calls, so the app never sees a difference. 3.12 keeps one
 * exception object where older versions keep a (type, value, traceback)
 * triple: on 3.12+ only `value` is set. This header is the only place
 * that knows. */
#ifndef TP_COMPAT_ERRSTATE_H
#define TP_COMPAT_ERRSTATE_H

#include <Python.h>
#include <stdbool.h>

typedef struct tp_errstate {
    PyObject *type, *value, *tb;
    PyThreadState *thread;   /* the caller's: the restore reads it directly */
} tp_errstate;

/* Whether the thread has an exception pending, read from its state: on
 * 3.12+ PyErr_Occurred looks the state up in libpython's thread-local
 * storage (a __tls_get_addr call) each time. */
static inline bool tp_err_pending(const PyThreadState *ts)
{
#if PY_VERSION_HEX >= 0x030C0000
    return ts->current_exception != NULL;
#else
    return ts->curexc_type != NULL;
#endif
}

static inline void tp_err_save(tp_errstate *s)
{
    /* The common case, nothing pending: one look-up of the thread state. */
    s->thread = PyThreadState_Get();
    if (!tp_err_pending(s->thread)) {
        s->type = s->value = s->tb = NULL;
        return;
    }
#if PY_VERSION_HEX >= 0x030C0000
    s->type = s->tb = NULL;
    s->value = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&s->type, &s->value, &s->tb);
#endif
}

/* Drops anything our calls raised, then puts the saved exception back.
 * Same thread as the save (the GIL was held throughout). */
static inline void tp_err_restore(tp_errstate *s)
{
    if (tp_err_pending(s->thread))
        PyErr_Clear();
    if (!s->type && !s->value)
        return;
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

/* The saved exception's traceback (a new reference), or NULL. */
static inline PyObject *tp_err_traceback(const tp_errstate *s)
{
#if PY_VERSION_HEX >= 0x030C0000
    return s->value ? PyException_GetTraceback(s->value) : NULL;
#else
    Py_XINCREF(s->tb);
    return s->tb;
#endif
}

/* The exception in flight as an exception instance (borrowed: the thread
 * keeps owning it), or NULL. Before 3.12 a C-raised exception may still be
 * a (type, value) pair; it is normalized here, as CPython does when
 * anything catches it or a trace function sees it. Normalizing can run an
 * exception class's __init__, so callers hold the recursion guard. */
static inline PyObject *tp_err_current(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc = PyErr_GetRaisedException();
    PyErr_SetRaisedException(exc);
    return exc;
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type && !(value && PyExceptionInstance_Check(value)))
        PyErr_NormalizeException(&type, &value, &tb);
    PyErr_Restore(type, value, tb);
    return value && PyExceptionInstance_Check(value) ? value : NULL;
#endif
}

#endif
