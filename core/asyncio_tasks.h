/* asyncio tasks: each task's top coroutine becomes a root of its own,
 * named after the task, so that concurrent tasks are told apart. */
#ifndef TP_ASYNCIO_TASKS_H
#define TP_ASYNCIO_TASKS_H

#include <Python.h>

/* If `coro` is the coroutine of the asyncio task running right now, a
 * malloc'd copy of the task's name; else NULL. GIL held; no exception
 * escapes; runs only asyncio's own (C) accessors. */
char *tp_task_name_if_root(PyObject *coro);

#endif
