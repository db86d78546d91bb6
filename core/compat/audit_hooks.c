#include "internal.h"

#include "audit_hooks.h"

/* Head of the list, and the lock that guards changes to it (3.12+). */
#if PY_VERSION_HEX >= 0x030D0000
#define HOOK_HEAD (_PyRuntime.audit_hooks.head)
static void lock_hooks(void) { PyMutex_Lock(&_PyRuntime.audit_hooks.mutex); }
static void unlock_hooks(void) { PyMutex_Unlock(&_PyRuntime.audit_hooks.mutex); }
#elif PY_VERSION_HEX >= 0x030C0000
#define HOOK_HEAD (_PyRuntime.audit_hooks.head)
static void lock_hooks(void)
{
    if (_PyRuntime.audit_hooks.mutex)
        PyThread_acquire_lock(_PyRuntime.audit_hooks.mutex, WAIT_LOCK);
}
static void unlock_hooks(void)
{
    if (_PyRuntime.audit_hooks.mutex)
        PyThread_release_lock(_PyRuntime.audit_hooks.mutex);
}
#else
#define HOOK_HEAD (_PyRuntime.audit_hook_head)
static void lock_hooks(void) {}
static void unlock_hooks(void) {}
#endif

tp_audit_hook_entry *tp_audit_hook_unlink(Py_AuditHookFunction hook, void *data)
{
    _Py_AuditHookEntry *found = NULL;
    lock_hooks();
    /* Verify before writing: only an entry whose function and data are
     * ours is touched, so a wrong layout can only mean "not found". */
    for (_Py_AuditHookEntry **link = &HOOK_HEAD; *link; link = &(*link)->next) {
        _Py_AuditHookEntry *e = *link;
        if (e->hookCFunction == hook && e->userData == data) {
            *link = e->next;
            found = e;
            break;
        }
    }
    unlock_hooks();
    return found;
}

void tp_audit_hook_relink(tp_audit_hook_entry *entry)
{
    lock_hooks();
    _Py_AuditHookEntry **link = &HOOK_HEAD;
    while (*link)
        link = &(*link)->next;
    entry->next = NULL;
    *link = entry;
    unlock_hooks();
}

bool tp_startup_imports_site(void)
{
    PyThreadState *ts = PyThreadState_Get();
    return !Py_IsInitialized() && ts->interp->config.site_import;
}
