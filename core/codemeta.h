/* What we know about a code object, learnt once per window at its first
 * call: names copied to C strings so the writer never needs Python. */
#ifndef TP_CODEMETA_H
#define TP_CODEMETA_H

#include <stdbool.h>
#include <stdint.h>

#include "code_slots.h"
#include "compat/frame.h"
#include "compat/stmt_starts.h"
#include "config.h"
#include "repr.h"
#include "text_pool.h"

enum tp_kind {
    TP_KIND_FUNCTION, TP_KIND_GENERATOR, TP_KIND_COROUTINE, TP_KIND_ASYNC_GENERATOR,
    TP_KIND_BUILTIN,           /* a C function (record_c_calls) */
};

/* How a parameter's value is shown in a call's args. */
typedef enum tp_param_shown {
    TP_PARAM_VALUE,      /* rendered (repr.h) */
    TP_PARAM_REDACTED,   /* its name has a `redact` word: '<redacted>' */
    TP_PARAM_UNREADY,    /* the object __init__ or __setstate__ is setting up: its
                            __repr__ would read half-set state (or fail), so it
                            gets the safe form */
} tp_param_shown;

typedef struct tp_code_meta {
    const void *key;           /* what the table finds it by: the code object, or a
                                  C function's PyMethodDef */
    PyObject *code;            /* strong reference while the window is open (the code
                                  object, or the C function) */
    char *name, *qualname, *module, *file;
    int lineno;
    uint8_t kind;              /* enum tp_kind */
    bool ignored;              /* ignore_modules / include_modules say skip */
    bool used;                 /* writer: has at least one recorded call */
    bool line_mode;            /* in line_functions: lines and locals are recorded */
    bool line_child;           /* a comprehension inside a line-mode function: its
                                  lines are steps of that function's call */
    bool local_events;         /* 3.12+: LINE events switched on for this code */
    bool off_stack;            /* a plain function in a window without line mode: the
                                  frame evaluator keeps its call in its own C frame,
                                  off the shadow stack (record.c) */
    uint16_t n_locals;         /* line mode: plain locals (cells and frees excluded) */
    char **local_names;
    uint16_t n_params;
    uint16_t *param_slots;     /* local slot of each parameter, signature order */
    char **param_prefix;       /* "x=", ", *args=", ", **kwargs=", NUL-terminated and
                                  padded to TP_BUF_PADDED bytes when shorter
                                  (tp_buf_append_padded); one block holds all four tables */
    uint16_t *param_prefix_len;
    uint8_t *param_shown;      /* tp_param_shown: how each parameter's value is shown */
    tp_stmt *stmts;            /* line mode: the statements of its multi-statement
                                  lines, each a step of its own (compat/stmt_starts.h) */
    uint32_t n_stmts;
} tp_code_meta;

typedef struct tp_code_table {
    tp_code_meta *metas;
    uint32_t n, cap;
    const void **line_children;   /* comprehension code objects of line-mode functions
                                     (kept alive by their parent's co_consts) */
    uint32_t n_line_children, cap_line_children;
    tp_code_slot *slots;       /* metadata by key (code_slots.h), power-of-two size */
    uint32_t mask;
    PyObject *name_key;        /* "__name__", interned: a module's name in its globals;
                                  made at the first code met, dropped with the references */
    const tp_repr_opts *words; /* the window's value options, set when it opens: which
                                  parameters are hidden (their redaction words) */
    tp_text_pool pool;         /* the metas' names and parameter tables (and line
                                  mode's local names): freed with the table */
} tp_code_table;

/* Creates the metadata for `code` (reading `frame` for the module name
 * and, before 3.11, the qualified name). TP_CODE_NONE when out of memory.
 * GIL held. */
uint32_t tp_code_create(tp_code_table *t, PyCodeObject *code, tp_iframe frame,
                        const tp_config *cfg);

/* Index of the metadata stored under `key`, or TP_CODE_NONE. GIL held
 * (it may reorder slots). */
static inline uint32_t tp_code_lookup_key(tp_code_table *t, const void *key)
{
    return tp_code_slot_find(t->slots, t->mask, key);
}

/* Index of the metadata for `code`: one probe in the common case. */
static inline uint32_t tp_code_lookup(tp_code_table *t, PyCodeObject *code, tp_iframe frame,
                                      const tp_config *cfg)
{
    uint32_t found = tp_code_lookup_key(t, code);
    return found != TP_CODE_NONE ? found : tp_code_create(t, code, frame, cfg);
}
/* What identifies a C function across calls: its PyMethodDef (bound
 * methods are new objects at every call). NULL for anything else. */
const void *tp_builtin_key(PyObject *callable);
/* Metadata for the C function `callable` (key from tp_builtin_key). */
uint32_t tp_code_lookup_builtin(tp_code_table *t, const void *key, PyObject *callable,
                                const tp_config *cfg);

/* Drops the references to code objects. GIL held. */
void tp_code_table_release(tp_code_table *t);
/* Frees the C strings (the pool). Any thread, after release. */
void tp_code_table_free(tp_code_table *t);

static inline bool tp_kind_is_resumable(uint8_t kind)
{
    return kind != TP_KIND_FUNCTION && kind != TP_KIND_BUILTIN;
}

#endif
