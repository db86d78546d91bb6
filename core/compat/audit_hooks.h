/* The runtime's list of C audit hooks, per CPython version. */
#ifndef TP_COMPAT_AUDIT_HOOKS_H
#define TP_COMPAT_AUDIT_HOOKS_H

#include <Python.h>
#include <stdbool.h>

/* Unlinks the entry {hook, data} from the runtime's list (the entry itself
 * is never freed: the runtime may be iterating over it right now, and it
 * reads `next` from the entry it holds). Returns false, touching nothing,
 * when no entry matches: then the hook stays installed and is just slow. */
bool tp_audit_hook_unlink(Py_AuditHookFunction hook, void *data);

#endif
