/* C API spellings that changed between versions. */
#ifndef TP_COMPAT_API_H
#define TP_COMPAT_API_H

#include <Python.h>
#include <stdbool.h>

/* Legacy (wstr) strings must be readied before 3.12; there are none after. */
static inline bool tp_str_ready(PyObject *s)
{
#if PY_VERSION_HEX < 0x030C0000
    return PyUnicode_READY(s) == 0;
#else
    (void)s;
    return true;
#endif
}

static inline bool tp_is_finalizing(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}

#endif
