/* tp_repr on the recording path, inline: None and ints 0..99 (what most
 * calls pass and return) are written here, most floats and instances of
 * classes that keep object.__repr__ are kept deferred (deferred_value.h),
 * and the other common kinds go straight to their own function, without
 * tp_repr's call and its dispatch of the same checks again. */
#ifndef TP_REPR_INLINE_H
#define TP_REPR_INLINE_H

#include "compat/api.h"
#include "deferred_value.h"
#include "float_text.h"
#include "repr.h"

/* Writes exactly what tp_repr writes, for any value but NULL, once its
 * deferred values are written out (tp_deferred_expand). */
static inline void tp_repr_value(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    /* None and 0..99 are whole at any max_repr but 1..3 (0: no limit) */
    PyTypeObject *tp = Py_TYPE(o);
    long long v;
    if (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        /* first: instances of the program's classes (every method's self)
         * are the most common values, and none of the kinds below */
        tp_repr_object_deferred(o, opts, out);
    } else if (o == Py_None) {
        if (opts->max_chars - 1 >= 3)
            tp_buf_append(out, "None", 4);
        else
            tp_repr(o, opts, out);
    } else if (tp == &PyLong_Type) {
        if (opts->max_chars - 1 >= 3 && tp_long_small(o, &v) && v >= 0 && v <= 99) {
            if (v < 10)
                tp_buf_putc(out, (char)('0' + v));
            else
                tp_buf_append(out, tp_digit_pairs + 2 * v, 2);
        } else {
            tp_repr_int(o, opts, out);
        }
    } else if (tp == &PyUnicode_Type) {
        tp_repr_str(o, opts, out);
    } else if (tp == &PyFloat_Type) {
        if (!tp_defer_float(PyFloat_AS_DOUBLE(o), opts->max_chars, out))
            tp_repr_float(o, opts, out);
    } else if (tp == &PyBool_Type) {
        tp_repr(o, opts, out);
    } else {
        tp_repr_object_deferred(o, opts, out);
    }
}

#endif
