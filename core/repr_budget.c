#include "repr_budget.h"

#include <inttypes.h>
#include <string.h>

#include "clock.h"

#include "log.h"
#include "repr_internal.h"
#include "slot_hash.h"

#define SLOTS_LOG2 9
_Static_assert(TP_REPR_BUDGET_CLASSES == 1 << SLOTS_LOG2, "a power of two");

/* A heap type's __qualname__ object: a class freed and another made at its
 * address is told apart by it (a class made again by the same code, with
 * the same name, counts as the same class). Static types live forever. */
static PyObject *class_qualname(PyTypeObject *tp)
{
    return (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) ? ((PyHeapTypeObject *)tp)->ht_qualname : NULL;
}

static bool names(const tp_repr_class_time *e, PyTypeObject *tp)
{
    return e->type == tp && e->qualname == class_qualname(tp);
}

/* Open addressing by the class's address, never deleted from: a window
 * meets few classes with a __repr__ of their own. The index of tp's entry,
 * or of the free slot where it goes; FULL when every slot holds another. */
#define FULL TP_REPR_BUDGET_CLASSES

static size_t slot_for(const tp_repr_budget *b, PyTypeObject *tp)
{
    size_t i = tp_slot_of_address(tp, SLOTS_LOG2);
    for (size_t n = 0; n < TP_REPR_BUDGET_CLASSES; n++) {
        if (!b->classes[i].type || names(&b->classes[i], tp))
            return i;
        i = (i + 1) & (TP_REPR_BUDGET_CLASSES - 1);
    }
    return FULL;
}

void tp_repr_budget_init(tp_repr_budget *b, long ms, bool say)
{
    memset(b, 0, sizeof *b);
    b->ticks = tp_clock_ticks_in((uint64_t)ms * 1000000u);
    b->budget_ms = ms;
    b->say = say;
}

bool tp_repr_budget_spent(const tp_repr_budget *b, PyTypeObject *tp)
{
    if (!b || !b->ticks)
        return false;
    size_t i = slot_for(b, tp);
    return i != FULL && b->classes[i].over;
}

void tp_repr_budget_charge(tp_repr_budget *b, PyTypeObject *tp, uint64_t ticks,
                           void (*name_of)(PyTypeObject *tp, char *out, size_t size))
{
    if (!b || !b->ticks)
        return;
    size_t i = slot_for(b, tp);
    if (i == FULL || b->classes[i].over)
        return;
    tp_repr_class_time *e = &b->classes[i];
    if (!e->type) {
        e->type = tp;
        e->qualname = class_qualname(tp);
        Py_XINCREF(e->qualname);   /* so its address names no other string while kept */
    }
    e->calls++;
    e->ticks += ticks;
    if (e->ticks < b->ticks)
        return;
    e->over = true;
    b->over_order[b->n_over++] = (uint16_t)i;
    name_of(tp, e->name, sizeof e->name);
    if (b->say)
        tp_log("%s.__repr__ has used its repr_budget_ms (%ld ms in this window, %" PRIu64
               " calls): its instances are shown as <%s object at 0x...> from now on",
               e->name, b->budget_ms, e->calls, e->name);
}

const tp_repr_class_time *tp_repr_budget_over_at(const tp_repr_budget *b, uint32_t i)
{
    return &b->classes[b->over_order[i]];
}

void tp_repr_budget_release(tp_repr_budget *b)
{
    for (size_t k = 0; k < TP_REPR_BUDGET_CLASSES; k++) {
        PyObject *qualname = b->classes[k].qualname;
        b->classes[k].qualname = NULL;   /* cleared first: freeing may run a weakref callback */
        if (qualname)
            tp_release(qualname);
    }
}
