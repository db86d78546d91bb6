/* Setting the caller's pending exception aside and back. 3.12 keeps one
 * exception object where older versions keep a (type, value, traceback)
 * triple; this file is the only one that knows. */
#include "repr_internal.h"

void tp_error_take(tp_pending_error *e)
{
#if PY_VERSION_HEX >= 0x030C0000
    e->value = PyErr_GetRaisedException();
    e->type = NULL;
    e->traceback = NULL;
#else
    PyErr_Fetch(&e->type, &e->value, &e->traceback);
#endif
}

void tp_error_put_back(tp_pending_error *e)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(e->value);
#else
    PyErr_Restore(e->type, e->value, e->traceback);
#endif
    e->type = e->value = e->traceback = NULL;
}

PyTypeObject *tp_error_type(const tp_pending_error *e)
{
#if PY_VERSION_HEX >= 0x030C0000
    return e->value ? Py_TYPE(e->value) : NULL;
#else
    if (e->type && PyType_Check(e->type))
        return (PyTypeObject *)e->type;
    return e->value ? Py_TYPE(e->value) : NULL;
#endif
}

void tp_error_discard(tp_pending_error *e)
{
    PyObject *parts[3] = {e->type, e->value, e->traceback};
    e->type = e->value = e->traceback = NULL;
    for (int i = 0; i < 3; i++) {
        if (parts[i])
            tp_release(parts[i]);
    }
}
