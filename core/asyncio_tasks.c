#include "asyncio_tasks.h"

#include <string.h>

#include "compat/errstate.h"
#include "guard.h"
#include "imported_module.h"

/* asyncio.current_task, once the app imported asyncio; kept for the life
 * of the process (GIL held). */
static PyObject *current_task;

static PyObject *current_task_fn(void)
{
    if (current_task)
        return current_task;
    PyObject *asyncio = tp_imported_module("asyncio");
    if (asyncio)
        current_task = PyObject_GetAttrString(asyncio, "current_task");
    return current_task;
}

static char *root_task_name(PyObject *coro)
{
    PyObject *fn = current_task_fn();
    PyObject *task = fn ? PyObject_CallObject(fn, NULL) : NULL;
    if (!task || task == Py_None) {
        Py_XDECREF(task);
        return NULL;
    }
    char *name = NULL;
    PyObject *task_coro = PyObject_CallMethod(task, "get_coro", NULL);
    if (task_coro == coro) {
        PyObject *n = PyObject_CallMethod(task, "get_name", NULL);
        const char *u = n && PyUnicode_Check(n) ? PyUnicode_AsUTF8(n) : NULL;
        name = strdup(u ? u : "Task");
        Py_XDECREF(n);
    }
    Py_XDECREF(task_coro);
    Py_DECREF(task);
    return name;
}

char *tp_task_name_if_root(PyObject *coro)
{
    if (!coro)
        return NULL;
    tp_errstate saved;
    tp_err_save(&saved);
    tp_guard_enter();
    char *name = root_task_name(coro);
    tp_guard_exit();
    tp_err_restore(&saved);
    return name;
}
