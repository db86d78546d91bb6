/* Dropping a pending exception we took (compat/errstate.h saves and
 * restores them): its objects may run __del__, under the guard. */
#include "repr_internal.h"

void tp_error_discard(tp_errstate *e)
{
    PyObject *parts[3] = {e->type, e->value, e->tb};
    e->type = e->value = e->tb = NULL;
    for (int i = 0; i < 3; i++) {
        if (parts[i])
            tp_release(parts[i]);
    }
}
