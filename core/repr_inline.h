/* tp_repr for the values most calls pass and return, inline on the
 * recording path: a call to tp_repr and its dispatch cost more than
 * writing "None" or "7". */
#ifndef TP_REPR_INLINE_H
#define TP_REPR_INLINE_H

#include "compat/api.h"
#include "float_text.h"
#include "repr.h"

/* Appends None or an exact int 0..99 as tp_repr would and returns true;
 * returns false, having written nothing, for any other value or when
 * max_repr could cut even these (below 4): then call tp_repr. */
static inline bool tp_repr_inline(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    if (opts->max_chars - 1 < 3)   /* 1..3; 0 (no limit) wraps past */
        return false;
    if (o == Py_None) {
        tp_buf_append(out, "None", 4);
        return true;
    }
    long long v;
    if (!PyLong_CheckExact(o) || !tp_long_small(o, &v) || v < 0 || v > 99)
        return false;
    if (v < 10)
        tp_buf_putc(out, (char)('0' + v));
    else
        tp_buf_append(out, tp_digit_pairs + 2 * v, 2);
    return true;
}

#endif
