#include "thread_names.h"

#include <Python.h>
#include <string.h>

#include "compat/errstate.h"
#include "guard.h"
#include "imported_module.h"

static char *lookup(unsigned long ident)
{
    /* Only if the app imported threading: importing it ourselves would
     * change the app. */
    PyObject *threading = tp_imported_module("threading");
    if (!threading)
        return NULL;
    PyObject *active = PyDict_GetItemString(PyModule_GetDict(threading), "_active");
    if (!active || !PyDict_Check(active))
        return NULL;
    PyObject *key = PyLong_FromUnsignedLong(ident);
    if (!key)
        return NULL;
    PyObject *thread = PyDict_GetItem(active, key);
    Py_DECREF(key);
    if (!thread)
        return NULL;
    PyObject *name = PyObject_GetAttrString(thread, "_name");
    if (!name)
        return NULL;
    const char *u = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    char *copy = u ? strdup(u) : NULL;
    Py_DECREF(name);
    return copy;
}

/* Written once at set-up (main thread), read with the GIL held. */
static unsigned long main_ident;

void tp_thread_names_set_main(unsigned long ident)
{
    main_ident = ident;
}

char *tp_thread_name(unsigned long ident)
{
    tp_errstate saved;
    tp_err_save(&saved);
    tp_guard_enter();
    char *name = lookup(ident);
    tp_guard_exit();
    tp_err_restore(&saved);
    if (!name && ident == main_ident)
        name = strdup("MainThread");
    return name;
}
