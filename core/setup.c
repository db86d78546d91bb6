/* Getting into the process: the entry the preload calls before the
 * interpreter starts, the audit hook that waits for the interpreter to be
 * ready, and set-up, after which the hook is removed again so that an idle
 * tracer costs nothing. */
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_exceptions.h"
#include "compat/audit_hooks.h"
#include "compat/errstate.h"
#include "compat/fork_warning.h"
#include "compat/frame.h"
#include "compat/pending_calls.h"
#include "exit_paths.h"
#include "term_signals.h"
#include "config.h"
#include "log.h"
#include "main_thread.h"
#include "signal_trigger.h"
#include "startup_wait.h"
#include "thread_names.h"
#include "trace_json.h"
#include "trigger_file.h"
#include "window_ctl.h"

/* The settings, loaded once in the constructor and read-only afterwards. */
static tp_config settings;

/* Set-up progress, main thread only (the hook and the pending call). */
static bool setup_started;
static bool setup_scheduled;
/* Events our hook has seen before set-up (its first one tried start-up's
 * wait for `site`): GIL held; the hook counts, set-up reports. */
static unsigned long events_seen;
/* Its address identifies our audit hook entry; never written. */
static char audit_token;

static void report_config(void *ctx, const char *message)
{
    (void)ctx;
    tp_log("%s", message);
}


/* ---- exit and fork ---- */

static PyObject *after_fork_in_child(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    tp_main_thread_set();
    tp_window_forget_after_fork();
    tp_term_signals_after_fork();
    tp_app_exceptions_after_fork();
    tp_exit_paths_set_owner();
    tp_trigger_after_fork();
    Py_RETURN_NONE;
}

static PyObject *before_fork(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    tp_trigger_pause_for_fork();
    Py_RETURN_NONE;
}

static PyObject *after_fork_in_parent(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    tp_trigger_resume_after_fork();
    Py_RETURN_NONE;
}

/* Never written (CPython's API takes them non-const). */
static PyMethodDef after_fork_def = {"_tracepatch_after_fork", after_fork_in_child, METH_NOARGS,
                                     NULL};
static PyMethodDef before_fork_def = {"_tracepatch_before_fork", before_fork, METH_NOARGS, NULL};
static PyMethodDef after_fork_in_parent_def = {"_tracepatch_after_fork_in_parent",
                                               after_fork_in_parent, METH_NOARGS, NULL};

/* posix.register_at_fork(KEY=<def>) */
static bool register_at_fork(const char *key, PyMethodDef *def)
{
    PyObject *mod = PyImport_ImportModule("posix");
    PyObject *fn = mod ? PyCFunction_New(def, NULL) : NULL;
    PyObject *meth = fn ? PyObject_GetAttrString(mod, "register_at_fork") : NULL;
    PyObject *args = meth ? PyTuple_New(0) : NULL;
    PyObject *kw = args ? Py_BuildValue("{sO}", key, fn) : NULL;
    PyObject *r = kw ? PyObject_Call(meth, args, kw) : NULL;
    bool ok = r != NULL;
    Py_XDECREF(r);
    Py_XDECREF(kw);
    Py_XDECREF(args);
    Py_XDECREF(meth);
    Py_XDECREF(fn);
    Py_XDECREF(mod);
    return ok;
}

/* ---- inherit = false ---- */

/* Drops our library from a colon/space separated LD_PRELOAD value. */
static void without_us(const char *value, const char *self, char *out, size_t size)
{
    size_t n = 0;
    const char *p = value;
    out[0] = '\0';
    while (*p) {
        size_t len = strcspn(p, ": ");
        bool ours = len >= strlen(self) && strncmp(p + len - strlen(self), self, strlen(self)) == 0;
        if (!ours && len > 0 && n + len + 2 < size) {
            if (n)
                out[n++] = ':';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p += len;
        p += strspn(p, ": ");
    }
}

/* Children do not inherit the preload: both the C environment and
 * os.environ (which subprocess uses) lose it. */
static void stop_inheritance(void)
{
    const char *cur = getenv("LD_PRELOAD");
    if (!cur)
        return;
    char rest[4096];
    without_us(cur, "libtracepatch.so", rest, sizeof rest);
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *os = PyImport_ImportModule("os");
    PyObject *environ = os ? PyObject_GetAttrString(os, "environ") : NULL;
    int rc = -1;
    if (environ && *rest) {
        PyObject *v = PyUnicode_DecodeFSDefault(rest);
        rc = v ? PyMapping_SetItemString(environ, "LD_PRELOAD", v) : -1;
        Py_XDECREF(v);
    } else if (environ) {
        rc = PyMapping_DelItemString(environ, "LD_PRELOAD");
    }
    if (rc != 0)
        rc = *rest ? setenv("LD_PRELOAD", rest, 1) : unsetenv("LD_PRELOAD");
    if (rc != 0)
        tp_log("inherit = false: could not remove LD_PRELOAD from the environment");
    Py_XDECREF(environ);
    Py_XDECREF(os);
    tp_err_restore(&saved);
}

/* ---- set-up ---- */

static int audit_hook(const char *event, PyObject *args, void *data);

/* Signals that came before set-up toggle a window as later ones do. One
 * closed again before set-up (`tph trace` on a process still starting,
 * with a short --seconds) is opened and closed here: its file says that
 * nothing ran meanwhile, instead of a window left open that nobody asked
 * for. */
static void open_early_window(int signo, int early)
{
    char how[64];
    snprintf(how, sizeof how, "signal %s, before start-up", tp_signal_name(signo));
    tp_window_open("signal", how);
    if (early % 2 == 0)
        tp_window_close("signal");
}

static void run_setup(void)
{
    if (setup_started)
        return;
    setup_started = true;
    tp_debug("set-up after %lu audit events", events_seen);
    char version[32];
    snprintf(version, sizeof version, "%s", Py_GetVersion());
    version[strcspn(version, " ")] = '\0';
    tp_trace_json_set_python_version(version);
    tp_thread_names_set_main(PyThread_get_thread_ident());
    tp_exit_paths_set_owner();
    if (!settings.inherit)
        stop_inheritance();

    tp_errstate saved;
    tp_err_save(&saved);
    if (!register_at_fork("after_in_child", &after_fork_def))
        tp_log("cannot register for fork: children may inherit a window");
    /* The trigger file's watcher is the one thread of ours while idle; it
     * steps aside while os.fork() runs where that warns of threads. Our
     * `before` is registered first, so it runs last, just before fork. */
    bool watching = settings.trigger && *settings.trigger;
    bool step_aside = watching && tp_fork_warns_of_threads();
    if (step_aside && (!register_at_fork("after_in_parent", &after_fork_in_parent_def) ||
                       !register_at_fork("before", &before_fork_def)))
        tp_log("cannot register for fork: a fork may warn of our watcher thread");
    tp_err_restore(&saved);

    tp_at_exit_prepare();   /* before anything can open a window */
    int early = tp_signal_setup(settings.signal);
    if (watching)
        tp_at_exit_register();   /* the watcher thread must stop before finalization */
    tp_trigger_start(settings.trigger);
    if (!tp_audit_hook_unlink(audit_hook, &audit_token))
        tp_debug("audit hook left installed: not found in the runtime's list");
    if (settings.autostart)
        tp_window_open("startup", "startup");
    else if (early > 0)
        open_early_window(settings.signal, early);
}

static int pending_setup(void *arg)
{
    (void)arg;
    /* Still inside start-up's import of site: let a later event ask again
     * (python itself will send cpython.run_* soon). */
    if (tp_in_startup_import()) {
        setup_scheduled = false;
        return 0;
    }
    run_setup();
    return 0;
}

/* Waits for the interpreter to be ready: the first cpython.run_* event,
 * or, in a program that embeds Python, the first event on the main thread
 * once the runtime is initialised (set-up then runs at the next safe point
 * of the eval loop, outside any hook). */
static int audit_hook(const char *event, PyObject *args, void *data)
{
    if (setup_started)
        return 0;
    events_seen++;
    if (tp_startup_wait(audit_hook, data, event, args))
        return 0;   /* back once `site` is imported */
    if (strncmp(event, "cpython.run_", 12) == 0) {
        run_setup();
    } else if (!setup_scheduled && Py_IsInitialized() && tp_on_main_thread() &&
               !tp_in_startup_import()) {
        setup_scheduled = tp_pending_calls_open() && Py_AddPendingCall(pending_setup, NULL) == 0;
    }
    return 0;
}

/* Called by libtracepatch.so's constructor, before Py_Initialize. */
__attribute__((visibility("default"))) int tracepatch_core_init(void (**exit_hook)(int),
                                                                void (**exec_hook)(void))
{
    tp_main_thread_set();
    tp_log_remember_stderr();
    tp_config_init(&settings);
    if (tp_config_load(&settings, NULL, NULL, report_config, NULL) != 0) {
        tp_log("out of memory reading the configuration: staying out");
        tp_config_free(&settings);
        return -1;
    }
    tp_settings = &settings;
    tp_signal_catch_early(settings.signal);
    /* Staying out leaves nothing of ours behind: the preload unloads us. */
    if (PySys_AddAuditHook(audit_hook, &audit_token) != 0) {
        tp_log("cannot add an audit hook: staying out");
        tp_signal_release_early(settings.signal);
        tp_settings = NULL;
        tp_config_free(&settings);
        return -1;
    }
    *exit_hook = tp_exit_hook;
    *exec_hook = tp_exec_hook;
    return 0;
}
