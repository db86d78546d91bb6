/* Bounded, exception-safe rendering of Python values for the trace.
 *
 * int, float, str, bytes, bool, None, classes, functions and exact
 * list/tuple/dict/set/frozenset of them are rendered here in C, byte for byte
 * as Python's repr() prints them, and never past the limit: a 10 MB str costs
 * what its first max_chars characters cost. Anything else goes through its
 * own repr() under the recorder guard (guard.h), or, in safe mode, is shown
 * as <module.Class object at 0x...> without running any user code.
 * All calls need the GIL. docs/values.md has the user-facing rules. */
#ifndef TP_REPR_H
#define TP_REPR_H

#include <Python.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "repr_budget.h"

typedef struct tp_repr_opts {
    size_t max_chars;              /* at most this many code points per value; a cut value
                                      ends with "..." (which counts). 0: no limit */
    bool safe;                     /* never run user code for unknown objects */
    const char *const *redact;     /* lowercase ASCII substrings; NULL/0: no redaction */
    size_t n_redact;
    uint64_t redact_pairs[16];     /* the first two bytes of the words, 5 bits each */
    uint64_t redact_gen;           /* this set of words, from tp_repr_opts_set_redact, which
                                      also made redact_pairs and redact_shortest; 0: none
                                      made, and each lookup tries every word at every
                                      character */
    size_t redact_shortest;        /* the length of the shortest word (no shorter key can
                                      hold one); SIZE_MAX when no word is usable */
    tp_buf *object_prefixes;       /* the window's store for deferred objects (tp_repr_value
                                      only, deferred_value.h); NULL: none deferred */
    uint64_t object_prefixes_gen;  /* names that store and the max_chars it is filled for
                                      (the window's gen); 0 without a store */
    size_t *object_prefixes_account;   /* the window's memory account (max_memory_mb),
                                          which the store's bytes count toward; or NULL */
    tp_repr_budget *budget;        /* the window's time for each class's own __repr__
                                      (repr_budget.h); NULL: none */
} tp_repr_opts;

/* Sets the redaction words and what is derived from them once. */
void tp_repr_opts_set_redact(tp_repr_opts *opts, const char *const *words, size_t n);

/* Appends a bounded repr of `o` (NULL renders as <NULL>) to `out`, UTF-8.
 * Never raises; the caller's pending exception, if any, is preserved exactly. */
void tp_repr(PyObject *o, const tp_repr_opts *opts, tp_buf *out);

/* tp_repr of a value whose kind the caller checked: an exact int, an
 * exact str, an exact float; or anything but those, None and bools
 * (repr_inline.h dispatches to these without tp_repr's checks). */
void tp_repr_int(PyObject *o, const tp_repr_opts *opts, tp_buf *out);
void tp_repr_str(PyObject *o, const tp_repr_opts *opts, tp_buf *out);
void tp_repr_float(PyObject *o, const tp_repr_opts *opts, tp_buf *out);
void tp_repr_object(PyObject *o, const tp_repr_opts *opts, tp_buf *out);

/* o as repr = "safe" shows it, whatever opts says: for an object still
 * being set up (the self of __init__), whose __repr__ would read half-set
 * state. */
void tp_repr_safe_form(PyObject *o, const tp_repr_opts *opts, tp_buf *out);

/* tp_repr_object for the recording path: an instance of a class that keeps
 * object.__repr__ is kept deferred when opts has a prefix store. */
void tp_repr_object_deferred(PyObject *o, const tp_repr_opts *opts, tp_buf *out);

/* Forgets the classes whose paths the renderer kept, letting go of their
 * module and qualname strings (it holds no class). At each window's
 * close, GIL held. */
void tp_repr_forget_types(void);

/* Appends "Type: message" for an exception instance (or just "Type" for an
 * exception class, or when str(exc) is empty); a failing __str__ gives
 * "Type: <str failed: T>". Bounded and exception-safe like tp_repr. */
void tp_repr_exception(PyObject *exc, const tp_repr_opts *opts, tp_buf *out);

/* true if the str `name` (a parameter's) contains one of opts->redact,
 * ignoring ASCII case: answered from the texts kept for dict keys
 * (repr_key.c). GIL held. */
bool tp_repr_name_is_redacted(PyObject *name, const tp_repr_opts *opts);

/* What a redacted value is rendered as (a Python str repr). */
#define TP_REPR_REDACTED "'<redacted>'"

#endif
