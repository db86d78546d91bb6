/* Start-up without our audit hook in the runtime's list. */
#ifndef TP_STARTUP_WAIT_H
#define TP_STARTUP_WAIT_H

#include <Python.h>
#include <stdbool.h>

/* Called by our audit hook {hook, data} at its first event. If the
 * interpreter is still initialising and will import `site`, takes the hook
 * out of the runtime's list and puts it back once that import is over;
 * true then. False, changing nothing, otherwise. GIL held. */
bool tp_startup_wait_begin(Py_AuditHookFunction hook, void *data);

#endif
