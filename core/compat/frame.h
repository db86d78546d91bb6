/* Frame access: the one place that knows how each CPython version lays out
 * a running frame. Everything here is on the hot path, hence inline.
 *
 *   tp_iframe           the interpreter's own frame record for a call
 *   tp_iframe_code()    its code object (borrowed)
 *   tp_iframe_globals() its globals dict (borrowed)
 *   tp_iframe_local()   local slot i, cells unwrapped (borrowed, may be NULL)
 *   tp_param_name()     name of local slot i (borrowed str)
 *
 * 3.8-3.10 keep locals in PyFrameObject; 3.11+ in _PyInterpreterFrame,
 * which is internal (Py_BUILD_CORE), so this header is only included by
 * core files that are built per version anyway. */
#ifndef TP_COMPAT_FRAME_H
#define TP_COMPAT_FRAME_H

#include <Python.h>
#include <frameobject.h>
#include <string.h>

#if PY_VERSION_HEX >= 0x030B0000
#  ifndef Py_BUILD_CORE
#    define Py_BUILD_CORE 1
#  endif
#  include "internal/pycore_code.h"   /* CO_FAST_CELL */
#  include "internal/pycore_frame.h"
#endif

#if PY_VERSION_HEX >= 0x030B0000
typedef struct _PyInterpreterFrame *tp_iframe;

static inline tp_iframe tp_iframe_of(PyFrameObject *f) { return f->f_frame; }

static inline PyCodeObject *tp_iframe_code(tp_iframe f)
{
#  if PY_VERSION_HEX >= 0x030D0000
    return (PyCodeObject *)f->f_executable;
#  else
    return f->f_code;
#  endif
}

static inline PyObject *tp_iframe_globals(tp_iframe f) { return f->f_globals; }

static inline PyObject *tp_iframe_local(tp_iframe f, int i)
{
    PyObject *v = f->localsplus[i];
    PyCodeObject *co = tp_iframe_code(f);
    /* An argument captured by a closure lives in a cell once MAKE_CELL ran. */
    if (v && (PyBytes_AS_STRING(co->co_localspluskinds)[i] & CO_FAST_CELL) && PyCell_Check(v))
        v = PyCell_GET(v);
    return v;
}

static inline PyObject *tp_param_name(PyCodeObject *co, int i)
{
    return PyTuple_GET_ITEM(co->co_localsplusnames, i);
}

/* The code object's qualified name (borrowed), or NULL where the version
 * has none (before 3.11). */
static inline PyObject *tp_code_qualname(PyCodeObject *co)
{
    return co->co_qualname;
}

/* The generator/coroutine object running in `f`, or NULL (borrowed). */
static inline PyObject *tp_iframe_generator(tp_iframe f)
{
    return f->owner == FRAME_OWNED_BY_GENERATOR ? (PyObject *)_PyFrame_GetGenerator(f) : NULL;
}

/* The running frame of the current thread (3.12+ monitoring callbacks get
 * no frame argument). */
#  if PY_VERSION_HEX >= 0x030D0000
static inline tp_iframe tp_current_iframe(void)
{
    PyThreadState *ts = PyThreadState_GetUnchecked();
    return ts ? ts->current_frame : NULL;
}
#  elif PY_VERSION_HEX >= 0x030C0000
static inline tp_iframe tp_current_iframe(void)
{
    PyThreadState *ts = _PyThreadState_UncheckedGet();
    return ts && ts->cframe ? ts->cframe->current_frame : NULL;
}
#  endif

#else /* 3.8 - 3.10 */
typedef PyFrameObject *tp_iframe;

static inline tp_iframe tp_iframe_of(PyFrameObject *f) { return f; }
static inline PyCodeObject *tp_iframe_code(tp_iframe f) { return f->f_code; }
static inline PyObject *tp_iframe_globals(tp_iframe f) { return f->f_globals; }

static inline PyObject *tp_iframe_local(tp_iframe f, int i)
{
    PyObject *v = f->f_localsplus[i];
    PyCodeObject *co = f->f_code;
    if (v == NULL && co->co_cell2arg) {
        /* An argument captured by a closure was moved into its cell at
         * frame creation and its own slot cleared. */
        Py_ssize_t ncells = PyTuple_GET_SIZE(co->co_cellvars);
        for (Py_ssize_t c = 0; c < ncells; c++) {
            if (co->co_cell2arg[c] == i) {
                PyObject *cell = f->f_localsplus[co->co_nlocals + c];
                return cell ? PyCell_GET(cell) : NULL;
            }
        }
    }
    return v;
}

static inline PyObject *tp_param_name(PyCodeObject *co, int i)
{
    return PyTuple_GET_ITEM(co->co_varnames, i);
}

static inline PyObject *tp_iframe_generator(tp_iframe f)
{
    return f->f_gen;
}

static inline PyObject *tp_code_qualname(PyCodeObject *co)
{
    (void)co;
    return NULL;
}
#endif

/* Whether the outermost Python frame of this thread is importlib's own
 * code: the interpreter is still importing `site` at start-up then.
 * Called for start-up's audit events: walks without creating frame
 * objects. */
static inline int tp_in_startup_import(void)
{
    PyCodeObject *outer = NULL;
#if PY_VERSION_HEX >= 0x030B0000
    PyThreadState *ts = PyThreadState_Get();
#  if PY_VERSION_HEX >= 0x030D0000
    tp_iframe f = ts->current_frame;
#  else
    tp_iframe f = ts->cframe ? ts->cframe->current_frame : NULL;
#  endif
    for (; f; f = f->previous) {
#  if PY_VERSION_HEX >= 0x030C0000
        if (f->owner == FRAME_OWNED_BY_CSTACK)   /* a C-call shim, no code */
            continue;
#  endif
        outer = tp_iframe_code(f);
    }
#else
    for (PyFrameObject *f = PyEval_GetFrame(); f; f = f->f_back)
        outer = f->f_code;
#endif
    if (!outer || !PyUnicode_Check(outer->co_filename))
        return 0;
    const char *file = PyUnicode_AsUTF8(outer->co_filename);
    if (!file)
        PyErr_Clear();
    return file && strncmp(file, "<frozen importlib", 17) == 0;
}

/* Whether a Python frame is running on this thread. The frame evaluator
 * asks before it runs a frame: none means that frame is called from C
 * with no Python code below it (an import start-up makes, say). */
static inline int tp_thread_in_python(PyThreadState *ts)
{
#if PY_VERSION_HEX >= 0x030D0000
    return ts->current_frame != NULL;
#elif PY_VERSION_HEX >= 0x030B0000
    return ts->cframe && ts->cframe->current_frame;
#else
    return ts->frame != NULL;
#endif
}

/* Frame evaluator: did the frame just leave by a yield (the generator
 * stays alive) rather than a final return? (Also the trace function's
 * question before 3.12.) */
static inline int tp_iframe_is_yielding(tp_iframe f)
{
#if PY_VERSION_HEX >= 0x030D0000
    return f->owner == FRAME_OWNED_BY_GENERATOR &&
           FRAME_STATE_SUSPENDED(_PyFrame_GetGenerator(f)->gi_frame_state);
#elif PY_VERSION_HEX >= 0x030B0000
    return f->owner == FRAME_OWNED_BY_GENERATOR &&
           _PyFrame_GetGenerator(f)->gi_frame_state == FRAME_SUSPENDED;
#elif PY_VERSION_HEX >= 0x030A0000
    return f->f_state == FRAME_SUSPENDED;
#else
    return f->f_stacktop != NULL;
#endif
}

/* Frame evaluator: from 3.11 a generator function's frame runs once, just
 * to move itself into the new generator object (RETURN_GENERATOR). That is
 * not the generator running: it is left out. Earlier versions create the
 * generator without running its frame. */
static inline int tp_iframe_makes_generator(tp_iframe f)
{
#if PY_VERSION_HEX >= 0x030B0000
    return f->owner != FRAME_OWNED_BY_GENERATOR;
#else
    (void)f;
    return 0;
#endif
}

/* Trace function (before 3.12) only. */
#if PY_VERSION_HEX < 0x030C0000
static inline int tp_frame_is_yielding(PyFrameObject *f)
{
    return tp_iframe_is_yielding(tp_iframe_of(f));
}

/* Line events are not wanted: turning them off per frame keeps the trace
 * function to call/return/exception events. */
static inline void tp_frame_no_lines(PyFrameObject *f)
{
    f->f_trace_lines = 0;
}
#endif

#endif
