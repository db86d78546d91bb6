/* C API spellings that changed between versions. */
#ifndef TP_COMPAT_API_H
#define TP_COMPAT_API_H

#include <Python.h>
#include <stdbool.h>
#if PY_VERSION_HEX < 0x030B0000
#include <longintrepr.h>   /* ob_digit; Python.h includes it from 3.11 on */
#endif

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

/* An exception group (3.11+): its str() reads its message and the number
 * of its exceptions, not its args. */
static inline bool tp_is_exception_group(PyObject *exc)
{
#if PY_VERSION_HEX >= 0x030B0000
    return PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_BaseExceptionGroup);
#else
    (void)exc;
    return false;
#endif
}

/* The type's attribute-cache version, or 0 when it has none. Any change
 * to the type's dict through setattr (__module__ included) invalidates it
 * (PyType_Modified), and a new one is never an old one's number: 3.12+
 * reset the tag to 0; before, a flag says whether the tag is still good.
 * (3.13 keeps the tag when __qualname__ is set: that is not in the dict.) */
static inline unsigned int tp_type_version(PyTypeObject *tp)
{
#if PY_VERSION_HEX >= 0x030C0000
    return tp->tp_version_tag;
#else
    return (tp->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG) ? tp->tp_version_tag : 0;
#endif
}

/* A str's cached hash, or -1 when it was never computed (a dict key's
 * always was). The field is the same on every version we build for. */
static inline Py_hash_t tp_str_cached_hash(PyObject *s)
{
    return ((PyASCIIObject *)s)->hash;
}

/* An exact int of at most one internal digit (|v| < 2^30), read without a
 * call: most ints a program passes around. False for anything else. */
static inline bool tp_long_small(PyObject *o, long long *v)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (!PyUnstable_Long_IsCompact((PyLongObject *)o))
        return false;
    *v = PyUnstable_Long_CompactValue((PyLongObject *)o);
    return true;
#else
    Py_ssize_t size = Py_SIZE(o);
    if (size < -1 || size > 1)
        return false;
    *v = size * (long long)((PyLongObject *)o)->ob_digit[0];
    return true;
#endif
}

/* A built-in function or method (C function object); 3.9 added a
 * subtype for methods that know their class, with the same repr. */
static inline bool tp_is_builtin_function(PyTypeObject *tp)
{
#if PY_VERSION_HEX >= 0x03090000
    return tp == &PyCFunction_Type || tp == &PyCMethod_Type;
#else
    return tp == &PyCFunction_Type;
#endif
}

/* A dict's version (PEP 509) when it identifies the dict's contents, else
 * 0. Every new dict takes a fresh number from a process-wide counter and
 * every change of a combined table takes another, so (address, version)
 * never names two different contents, even after the dict is freed and
 * the address reused. Split tables (an instance's __dict__) are left out:
 * 3.13 stores an attribute into one without a new number. 3.12 deprecated
 * the field and 3.14 drops it: there nothing is kept. */
static inline uint64_t tp_dict_version(PyObject *d)
{
    PyDictObject *dict = (PyDictObject *)d;
    if (dict->ma_values != NULL)
        return 0;
#if PY_VERSION_HEX >= 0x030E0000
    return 0;
#elif PY_VERSION_HEX >= 0x030C0000
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return dict->ma_version_tag;
#pragma GCC diagnostic pop
#else
    return dict->ma_version_tag;
#endif
}

#endif
