#include "exit_paths.h"

#include <Python.h>
#include <unistd.h>

#include "compat/errstate.h"
#include "log.h"
#include "trigger_file.h"
#include "window_ctl.h"
#include "writer.h"

/* The process whose windows and writer threads these are: a child forked
 * without Python knowing (subprocess's fork+exec) inherits our memory but
 * owns none of it. Set at set-up and in Python's after-fork hook (GIL
 * held); read by any thread that exits or execs, which compares it with
 * its own pid only. */
static pid_t owner_pid;

void tp_exit_paths_set_owner(void)
{
    owner_pid = getpid();
}

/* Whether this process is the one whose windows these are. */
static bool owned_here(void)
{
    return owner_pid != 0 && getpid() == owner_pid;
}

/* The process is about to end or replace itself, from the thread that
 * holds the GIL: the open window is written first, and so are windows
 * still being written, whose threads end with the process image. A child
 * of subprocess (fork or vfork, then exec) is not the owner and returns
 * before touching anything. */
static void before_leaving(const char *reason)
{
    if (!owned_here() || !Py_IsInitialized() || !PyGILState_Check())
        return;
    if (tp_window_is_open())
        tp_window_close_in_place(reason);
    tp_writer_wait_all();
}

void tp_exit_hook(int status)
{
    (void)status;
    before_leaving("exit");
}

void tp_exec_hook(void)
{
    before_leaving("exec");
}

/* ---- interpreter exit ---- */

static PyObject *at_exit(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    /* A child forked without Python knowing (a C extension's fork()) has
     * neither the window's writer nor the trigger's watcher thread. */
    if (!owned_here())
        Py_RETURN_NONE;
    tp_trigger_stop();
    if (tp_window_is_open())
        tp_window_close_in_place("exit");
    Py_BEGIN_ALLOW_THREADS
    tp_writer_wait_all();
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* Never written (CPython's API takes it non-const). */
static PyMethodDef at_exit_def = {"_tracepatch_at_exit", at_exit, METH_NOARGS, NULL};

/* Whether our atexit hook is registered, or being registered; GIL held. */
static bool at_exit_registered;
/* The atexit module, imported at set-up and held for the process: the
 * first window may open from a signal handler that runs inside an import
 * (in importlib's own bookkeeping), where importing again corrupts it
 * (3.8: KeyError in _ModuleLock.acquire). atexit.register is C, so
 * registering then runs no Python code. Main thread, GIL held. */
static PyObject *atexit_module;

void tp_at_exit_prepare(void)
{
    if (atexit_module)
        return;
    tp_errstate saved;
    tp_err_save(&saved);
    atexit_module = PyImport_ImportModule("atexit");
    tp_err_restore(&saved);
}

void tp_at_exit_register(void)
{
    if (at_exit_registered)
        return;
    at_exit_registered = true;
    tp_errstate saved;
    tp_err_save(&saved);
    PyObject *fn = atexit_module ? PyCFunction_New(&at_exit_def, NULL) : NULL;
    PyObject *r = fn ? PyObject_CallMethod(atexit_module, "register", "O", fn) : NULL;
    at_exit_registered = r != NULL;
    if (!r)
        tp_log("cannot register at exit: an open window will be lost at exit");
    Py_XDECREF(r);
    Py_XDECREF(fn);
    tp_err_restore(&saved);
}
