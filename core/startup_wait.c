/* Start-up without our audit hook in the runtime's list.
 *
 * CPython builds an audit event's argument tuple only when some hook is
 * installed, and start-up raises hundreds of events before set-up can run
 * (after `site`): 3.8 raises `code.__new__` for each code object it
 * unmarshals (~430 before `site` alone), and every version copies each
 * `.pyc` into a bytes object for `marshal.loads`. With our hook installed
 * from the preload's constructor that was most of what an idle tracer cost
 * (docs/benchmarks.md, "Idle").
 *
 * Before 3.11, at the hook's first event, while the interpreter is
 * initialising, the hook leaves the list and a frame evaluator (PEP 523)
 * waits instead: it costs a few instructions a Python frame there, and
 * start-up runs ~2600 frames on 3.8. When a frame that C called with no
 * Python code below it ends and `site` is among the interpreter's modules,
 * the import of `site` (sitecustomize and .pth files included: they run
 * inside it) is over: the hook goes back into the list, the evaluator is
 * removed, and set-up goes on as before, at the first `cpython.run_*`
 * event. An evaluator that the app installs while `site` imports (a .pth
 * loading a JIT) replaces ours, but the frame that imports `site` started
 * through ours and still ends there. A thread's first frame, or a
 * greenlet's, also has no Python frame below it: if one ends while `site`
 * imports, the hook comes back early, which is only the cost of before
 * (set-up still waits for `site`: setup.c).
 *
 * From 3.11 an installed evaluator makes CPython neither inline nor
 * specialise Python calls, so waiting in one through all of start-up costs
 * more than it saves. There the hook stays in the list until the `import`
 * event of `site` itself, which C raises just before it calls importlib's
 * `_find_and_load` for it. Then the hook leaves and an evaluator goes in
 * for that one frame: it takes itself out as the frame starts (everything
 * `site` runs below it is evaluated by CPython alone, at full speed) and
 * puts the hook back when the frame ends, which is when the import is
 * over. The events before `site` (~45 from 3.11: its start-up modules are
 * frozen) still reach the hook; the ones during it (~300 with a few .pth
 * files) do not. A C hook after ours in the list that runs Python code on
 * that event runs the one frame instead, and ours comes back early: only
 * the cost of before (set-up still waits for `site`).
 *
 * What the wait cannot see: an evaluator installed from C (another preload
 * library, an embedding program between its two phases of initialisation)
 * after our hook leaves and before `site`, which does not call ours. Then
 * the hook never comes back and the process is not set up
 * (`TRACEPATCH_DEBUG=1` shows "out" and no "back"). While the wait lasts,
 * code in `.pth` files and sitecustomize that asks for the interpreter's
 * evaluator sees ours, not CPython's (before 3.11 only).
 */
#include "startup_wait.h"

#include <string.h>

#include "compat/audit_hooks.h"
#include "compat/errstate.h"
#include "compat/evalframe.h"
#include "compat/frame.h"
#include "log.h"

/* Our hook's entry while it is out of the list, else NULL. Touched with
 * the GIL held only: by the hook's first event and the evaluator. */
static tp_audit_hook_entry *waiting_entry;

/* Looked up in the interpreter's own module dict, not in whatever
 * `sys.modules` is bound to now; and not by PyImport_GetModule, which from
 * 3.9 waits while the module is still being imported: a thread whose first
 * frame ends while the main thread imports `site` and joins that thread
 * would wait for ever. */
static bool site_imported(void)
{
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *modules = PyImport_GetModuleDict();   /* borrowed */
    bool found = PyDict_Check(modules) && PyDict_GetItemString(modules, "site");
    tp_err_restore(&saved);
    return found;
}

static void end_wait(void)
{
    tp_audit_hook_relink(waiting_entry);
    waiting_entry = NULL;
    tp_evalframe_remove();
    tp_debug("start-up: site imported, audit hook back");
}

static PyObject *wait_for_site(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    /* The frame evaluator's own thread state: 3.8 passes none. */
    bool called_from_c = !tp_thread_in_python(ts ? ts : PyThreadState_Get());
    PyObject *result = tp_evalframe_default(ts, frame, throwflag);
    if (called_from_c && waiting_entry && site_imported())
        end_wait();
    return result;
}

/* Takes the hook out of the list, with `waiter` installed to bring it
 * back. The evaluator first: if it cannot go in, the hook stays (relinking
 * from inside the hook would end the runtime's walk of the list). */
static bool leave_list(Py_AuditHookFunction hook, void *data, tp_eval_hook waiter,
                       const char *until)
{
    if (!tp_evalframe_install(waiter))
        return false;
    waiting_entry = tp_audit_hook_unlink(hook, data);
    if (!waiting_entry) {
        tp_evalframe_remove();
        return false;
    }
    tp_debug("start-up: audit hook out %s", until);
    return true;
}

/* The one frame of `site`'s import: importlib's `_find_and_load`. */
static PyObject *run_site_import(PyThreadState *ts, tp_iframe frame, int throwflag)
{
    tp_evalframe_remove();
    PyObject *result = tp_evalframe_default(ts, frame, throwflag);
    if (waiting_entry)
        end_wait();
    return result;
}

/* Whether the event is C's `import` of `site` with no Python code running:
 * start-up's (an `import site` in a program's code has frames below it). */
static bool is_startup_import_of_site(const char *event, PyObject *args)
{
    if (strcmp(event, "import") != 0 || !PyTuple_Check(args) || PyTuple_GET_SIZE(args) < 1)
        return false;
    PyObject *name = PyTuple_GET_ITEM(args, 0);
    return PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "site") == 0 &&
           !tp_thread_in_python(PyThreadState_Get());
}

bool tp_startup_wait(Py_AuditHookFunction hook, void *data, const char *event, PyObject *args)
{
    /* Who owns it: our hook, before set-up, GIL held. Set once a wait has
     * begun or can no longer begin. */
    static bool settled;
    if (settled)
        return false;
    if (tp_evalframe_is_cheap()) {
        settled = true;
        return tp_startup_imports_site() &&
               leave_list(hook, data, wait_for_site, "until site is imported");
    }
    if (!is_startup_import_of_site(event, args))
        return false;
    settled = true;
    return leave_list(hook, data, run_site_import, "while site is imported");
}
