/* How long each class's own __repr__ may run in one window (repr_budget_ms).
 *
 * With repr = "full", a class whose __repr__ is slow (a Django QuerySet
 * runs its query, a big DataFrame formats itself) costs that time at every
 * recorded call that takes or returns one of its instances. Past its
 * budget, a class is shown as object.__repr__ would show it for the rest
 * of the window, so what a window adds to the app stays bounded; the trace
 * lists the classes that went over (docs/format.md, "repr_over_budget").
 *
 * A budget belongs to its window and lives inside it, so a snapshot's copy
 * of the window copies it whole. Touched with the GIL held only. */
#ifndef TP_REPR_BUDGET_H
#define TP_REPR_BUDGET_H

#include <Python.h>
#include <stdbool.h>
#include <stdint.h>

/* Classes timed per window; more are not timed (nor limited). */
#define TP_REPR_BUDGET_CLASSES 512
#define TP_REPR_BUDGET_NAME 96

typedef struct tp_repr_class_time {
    PyTypeObject *type;      /* not held (keeping a class alive shows); NULL: a free slot */
    PyObject *qualname;      /* a heap type's __qualname__ when first met, held until
                                tp_repr_budget_release: with `type`, names the class */
    uint64_t ticks;          /* its __repr__ calls' time so far */
    uint64_t calls;
    bool over;               /* past the budget: shown as object.__repr__ shows it */
    char name[TP_REPR_BUDGET_NAME];   /* module.qualname, once over (cut if longer) */
} tp_repr_class_time;

typedef struct tp_repr_budget {
    uint64_t ticks;          /* per class; 0: no budget (nothing is timed) */
    bool say;                /* a line on stderr when a class goes over */
    long budget_ms;          /* for that line */
    uint32_t n_over;
    uint64_t app_repr_ended;   /* when a __repr__ of the app last returned to us (ticks;
                                  0: none yet): a call whose arguments ran one starts
                                  after it (record.c) */
    uint16_t over_order[TP_REPR_BUDGET_CLASSES];   /* slots of the classes over, in order */
    tp_repr_class_time classes[TP_REPR_BUDGET_CLASSES];
} tp_repr_budget;

/* An empty budget of `ms` per class (0: none); `say`: a line on stderr
 * when a class uses it up. At a window's opening, its clock chosen. */
void tp_repr_budget_init(tp_repr_budget *b, long ms, bool say);

/* Whether tp's __repr__ has used up its budget. NULL budget: never. */
bool tp_repr_budget_spent(const tp_repr_budget *b, PyTypeObject *tp);

/* Counts one call of tp's __repr__ that took `ticks`; `name_of` fills in
 * the class's path should this call use up the budget. */
void tp_repr_budget_charge(tp_repr_budget *b, PyTypeObject *tp, uint64_t ticks,
                           void (*name_of)(PyTypeObject *tp, char *out, size_t size));

/* The classes over budget, in the order they went over: the i-th of
 * b->n_over (0-based). */
const tp_repr_class_time *tp_repr_budget_over_at(const tp_repr_budget *b, uint32_t i);

/* Lets go of the qualnames held. GIL held; when the window is handed off. */
void tp_repr_budget_release(tp_repr_budget *b);

#endif
