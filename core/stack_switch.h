/* Several call stacks on one thread: greenlets switch between them
 * without returning, so each keeps its own part of the shadow stack and
 * its own top node, swapped in when it runs again. GIL held. */
#ifndef TP_STACK_SWITCH_H
#define TP_STACK_SWITCH_H

#include "window.h"

/* The thread leaves the stack of `from` for the stack of `to` (a
 * greenlet seen for the first time starts an empty one: its calls are
 * roots). When it cannot (memory ran out, or `from` already has a parked
 * stack: a switch was missed), the thread goes on with the stack it has,
 * as without switching. */
void tp_stack_switch(tp_thread *t, tp_window *w, const void *from, const void *to);
/* At close: the parked stacks' Python references; then their memory. */
void tp_stack_switch_release(tp_thread *t);
void tp_stack_switch_free(tp_thread *t);

#endif
