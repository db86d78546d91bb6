/* Saving and restoring the thread's pending exception around our own
 * Python calls, so the app never sees a difference. */
#ifndef TP_COMPAT_ERRSTATE_H
#define TP_COMPAT_ERRSTATE_H

#include <Python.h>

typedef struct tp_errstate {
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc;
#else
    PyObject *type, *value, *tb;
#endif
} tp_errstate;

static inline void tp_err_save(tp_errstate *s)
{
#if PY_VERSION_HEX >= 0x030C0000
    s->exc = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&s->type, &s->value, &s->tb);
#endif
}

/* Drops anything our calls raised, then puts the saved exception back. */
static inline void tp_err_restore(tp_errstate *s)
{
    PyErr_Clear();
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(s->exc);
#else
    PyErr_Restore(s->type, s->value, s->tb);
#endif
}

#endif
