/* The runtime's list of C audit hooks, per CPython version, and the one
 * fact of the interpreter's configuration that decides whether our hook
 * may leave it during start-up (startup_wait.c). */
#ifndef TP_COMPAT_AUDIT_HOOKS_H
#define TP_COMPAT_AUDIT_HOOKS_H

#include <Python.h>
#include <stdbool.h>

/* One entry of the list; opaque outside this file. */
typedef struct _Py_AuditHookEntry tp_audit_hook_entry;

/* Unlinks the entry {hook, data} from the runtime's list and returns it
 * (the entry itself is never freed: the runtime may be iterating over it
 * right now, and it reads `next` from the entry it holds). Returns NULL,
 * touching nothing, when no entry matches: then the hook stays installed
 * and is just slow. */
tp_audit_hook_entry *tp_audit_hook_unlink(Py_AuditHookFunction hook, void *data);

/* Puts an entry that tp_audit_hook_unlink returned back, at the end of
 * the list. Not through PySys_AddAuditHook: after start-up that raises
 * `sys.addaudithook`, which the app's hooks see and may refuse. GIL held,
 * and never while the runtime is calling this entry's own hook (the entry's
 * `next` is reset: a walk of the list standing on it would stop there). */
void tp_audit_hook_relink(tp_audit_hook_entry *entry);

/* Whether the interpreter is still initialising and will import `site`
 * (not `-S`, not an embedding that turned it off). GIL held. */
bool tp_startup_imports_site(void);

#endif
