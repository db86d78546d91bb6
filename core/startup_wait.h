/* Start-up without our audit hook in the runtime's list. */
#ifndef TP_STARTUP_WAIT_H
#define TP_STARTUP_WAIT_H

#include <Python.h>
#include <stdbool.h>

/* Called by our audit hook {hook, data} for each event before set-up.
 * When the event is where a wait begins (before 3.11 the first event of an
 * interpreter that will import `site`, from 3.11 that import's own event),
 * takes the hook out of the runtime's list until the import of `site` is
 * over, and returns true. False, changing nothing, otherwise. GIL held. */
bool tp_startup_wait(Py_AuditHookFunction hook, void *data, const char *event, PyObject *args);

#endif
