/* What the app's __repr__ adds to its own object's attributes, taken back.
 *
 * A cached property (functools.cached_property, Django's, aiohttp's reify,
 * which keeps a dict of its own in the instance) stores its value the
 * first time it is read. Read by a __repr__ we run while the object is half
 * set up (a method's `self` is rendered as the call starts:
 * aiohttp's ClientResponse.start() is entered before it has its headers),
 * it caches a value the app would never have seen, and the app reads that
 * value later: aiohttp's client then fails with "'NoneType' object has no
 * attribute 'getall'". So the keys that the __repr__ adds to the object's
 * __dict__, and to the dicts held directly in that __dict__, are deleted
 * again when it returns, and the property computes its value when the app
 * first reads it, as it does untraced. Keys the __repr__ changed or
 * removed stay as it left them, and so does everything when it removed a
 * key as well (the keys before can no longer be told from the new ones),
 * or when another thread ran meanwhile (the __repr__ let the GIL go, and
 * that thread may have added a key of its own).
 *
 * Touched with the GIL held. */
#ifndef TP_REPR_UNDO_H
#define TP_REPR_UNDO_H

#include <Python.h>

/* Dicts with more keys than this are not watched. */
#define TP_UNDO_KEYS 48
/* The object's __dict__ and at most this many dicts held in it. */
#define TP_UNDO_NESTED 4

typedef struct tp_undo_dict {
    PyObject *dict;                  /* held while the __repr__ runs */
    Py_ssize_t n;                    /* its keys before */
    PyObject *keys[TP_UNDO_KEYS];    /* its keys before, in order (borrowed: compared by identity) */
} tp_undo_dict;

typedef struct tp_repr_undo {
    unsigned long gil_switches;      /* when noted: if another thread ran
                                        since, whose keys are new is unknown */
    int n;
    tp_undo_dict dicts[1 + TP_UNDO_NESTED];
} tp_repr_undo;

/* Notes the keys of o's __dict__ and of the dicts in it (for a bound
 * method, its object's). */
void tp_repr_undo_note(tp_repr_undo *u, PyObject *o);

/* Deletes the keys added since tp_repr_undo_note, and lets go of the
 * dicts. Keeps a pending exception as it was. */
void tp_repr_undo_apply(tp_repr_undo *u);

#endif
