/* int and float, as int.__repr__ and float.__repr__ print them. */
#include "repr_internal.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "compat/api.h"
#include "float_text.h"

/* Above this size an int is not converted to decimal at all: the conversion
 * is quadratic, and Python's own default limit (sys.set_int_max_str_digits,
 * 4300 digits, about 14300 bits) refuses such ints anyway. */
#define BIG_INT_MAX_BITS 16384

/* Two digits a step: a division by 100 and a table instead of two
 * divisions by 10; most ints in a trace have one or two digits. */
size_t tp_format_long_long(char digits[TP_DIGITS_MAX], long long v)
{
    size_t i = TP_DIGITS_MAX;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) {
        i -= 2;
        memcpy(digits + i, tp_digit_pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        i -= 2;
        memcpy(digits + i, tp_digit_pairs + 2 * u, 2);
    } else {
        digits[--i] = (char)('0' + u);
    }
    if (v < 0)
        digits[--i] = '-';
    return i;
}

static void put_long_long(tp_sink *s, long long v)
{
    char digits[TP_DIGITS_MAX];
    size_t start = tp_format_long_long(digits, v);
    tp_sink_ascii(s, digits + start, TP_DIGITS_MAX - start);
}

/* An int too big for a decimal repr here, or one Python refuses to convert
 * (ValueError from the int_max_str_digits limit): say what it is instead,
 * sign included (a debt and a balance must not read alike). */
static void put_int_size(tp_render *r, PyObject *o, size_t bits)
{
    char text[64];
    int n = snprintf(text, sizeof text, "<%sint of %zu bits>",
                     _PyLong_Sign(o) < 0 ? "negative " : "", bits);
    if (n > 0)
        tp_sink_ascii(&r->sink, text, (size_t)n);
}

static void render_big_int(tp_render *r, PyObject *o)
{
    size_t bits = _PyLong_NumBits(o);
    if (bits == (size_t)-1) {
        PyErr_Clear();
        bits = 0;
    }
    if (bits > BIG_INT_MAX_BITS) {
        put_int_size(r, o, bits);
        return;
    }
    PyObject *text = PyObject_Repr(o);   /* int's own repr: no user code */
    if (!text) {
        PyErr_Clear();
        put_int_size(r, o, bits);
        return;
    }
    tp_render_text(r, text);
    Py_DECREF(text);
}

void tp_render_int(tp_render *r, PyObject *o)
{
    long long v;
    if (PyLong_CheckExact(o) && tp_long_small(o, &v)) {   /* one digit, read in place */
        put_long_long(&r->sink, v);
        return;
    }
    int overflow = 0;
    v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) {
        render_big_int(r, o);
        return;
    }
    if (v == -1 && PyErr_Occurred()) {
        tp_render_failure(r, "repr");
        return;
    }
    put_long_long(&r->sink, v);
}

void tp_render_float(tp_render *r, PyObject *o)
{
    double v = PyFloat_AS_DOUBLE(o);
    /* Integral values below 1e16 print as "<int>.0" in float_repr too. */
    if (v == v && fabs(v) < 1e16 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
        put_long_long(&r->sink, (long long)v);
        tp_sink_ascii(&r->sink, ".0", 2);
        return;
    }
    size_t n;
    const char *fixed = tp_float_memo_text(v, &n);
    if (fixed) {
        tp_sink_ascii(&r->sink, fixed, n);
        return;
    }
    /* exponent notation, inf, nan: exactly what float_repr does */
    char *text = PyOS_double_to_string(PyFloat_AS_DOUBLE(o), 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (!text) {
        tp_render_failure(r, "repr");
        return;
    }
    tp_sink_cstr(&r->sink, text);
    PyMem_Free(text);
}
