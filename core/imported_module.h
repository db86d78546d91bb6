/* A module the app has imported, looked up without importing it (an
 * import of ours would change the app, and may run inside importlib's own
 * bookkeeping). */
#ifndef TP_IMPORTED_MODULE_H
#define TP_IMPORTED_MODULE_H

#include <Python.h>

/* sys.modules[name] if it is a module, else NULL; borrowed. GIL held; no
 * exception is set. */
static inline PyObject *tp_imported_module(const char *name)
{
    PyObject *modules = PySys_GetObject("modules");
    PyObject *mod = modules && PyDict_Check(modules) ? PyDict_GetItemString(modules, name) : NULL;
    return mod && PyModule_Check(mod) ? mod : NULL;
}

#endif
