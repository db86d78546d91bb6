/* greenlet (gevent, eventlet): greenlets switch the thread between call
 * stacks without returning. While a window records a thread, greenlet's
 * per-thread trace function tells us of each switch, and each greenlet
 * keeps its own stack (stack_switch.h): a greenlet's calls become roots
 * of their own instead of children of whatever ran before the switch. */
#ifndef TP_GREENLETS_H
#define TP_GREENLETS_H

/* If the app has imported greenlet, our trace function goes in front of
 * this thread's own (which it calls). The recorder asks at a thread's
 * first call in a window and every 1024 recorded calls (greenlet may be
 * imported while the window is open). GIL held; runs greenlet's own C
 * accessors only, and no exception escapes. */
void tp_greenlets_notice(void);

#endif
