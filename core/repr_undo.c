/* Taking back the keys the app's __repr__ added to its object's
 * attributes: see repr_undo.h. */
#include "repr_undo.h"

#include <stdbool.h>

#include "compat/errstate.h"
#include "compat/gil_switches.h"

/* Notes d's keys in order; false (nothing held) when it has too many.
 * With `u`, the dicts among d's values are noted too, into u. */
static bool note_dict(tp_undo_dict *e, PyObject *d, tp_repr_undo *u)
{
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    if (PyDict_GET_SIZE(d) > TP_UNDO_KEYS)
        return false;
    while (PyDict_Next(d, &pos, &key, &value)) {
        e->keys[i++] = key;
        if (u && u->n < 1 + TP_UNDO_NESTED && PyDict_CheckExact(value) &&
            note_dict(&u->dicts[u->n], value, NULL))
            u->n++;
    }
    Py_INCREF(d);
    e->dict = d;
    e->n = i;
    return true;
}

void tp_repr_undo_note(tp_repr_undo *u, PyObject *o)
{
    u->n = 0;
    u->gil_switches = tp_gil_switches();
    /* A bound method's repr is its object's (payload.on_eof(self._eof)
     * renders self as the call starts). */
    if (PyMethod_Check(o))
        o = PyMethod_GET_SELF(o);
    if (Py_TYPE(o)->tp_dictoffset == 0)
        return;
    /* No app code: the dict is read (made from the inline values on
     * 3.11+, as any read of __dict__ does), not looked up as an
     * attribute. */
    PyObject **slot = _PyObject_GetDictPtr(o);
    if (!slot || !*slot || !PyDict_Check(*slot))
        return;
    u->n = 1;   /* dicts[0]: the object's own; the nested ones follow */
    if (!note_dict(&u->dicts[0], *slot, u))
        u->n = 0;
}

/* Whether d still starts with the keys noted, in their order: then any
 * key after them was added since. */
static bool only_added(const tp_undo_dict *e)
{
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    if (PyDict_GET_SIZE(e->dict) <= e->n)
        return false;
    while (i < e->n && PyDict_Next(e->dict, &pos, &key, &value)) {
        if (key != e->keys[i++])
            return false;
    }
    return i == e->n;
}

/* Deletes the keys after the first e->n. They are collected first: a
 * dict must not change while it is walked. */
static void delete_added(const tp_undo_dict *e)
{
    PyObject *added = PyList_New(0), *key, *value;
    Py_ssize_t pos = 0, i = 0;
    if (!added)
        return;
    while (PyDict_Next(e->dict, &pos, &key, &value)) {
        if (i++ >= e->n && PyList_Append(added, key) != 0)
            break;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(added); k++) {
        if (PyDict_DelItem(e->dict, PyList_GET_ITEM(added, k)) != 0)
            PyErr_Clear();
    }
    Py_DECREF(added);
}

void tp_repr_undo_apply(tp_repr_undo *u)
{
    tp_errstate pending;   /* the __repr__'s failure, which the caller reports */
    tp_err_save(&pending);
    bool alone = tp_gil_switches() == u->gil_switches;
    for (int i = 0; alone && i < u->n; i++) {
        if (only_added(&u->dicts[i]))
            delete_added(&u->dicts[i]);
    }
    for (int i = 0; i < u->n; i++)
        Py_DECREF(u->dicts[i].dict);
    u->n = 0;
    tp_err_restore(&pending);
}
