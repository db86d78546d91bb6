/* Which thread is the process's main thread: Python runs signal handlers
 * and pending calls there, and only there may signal.signal() be called. */
#ifndef TP_MAIN_THREAD_H
#define TP_MAIN_THREAD_H

#include <stdbool.h>

/* In the constructor, and again in a forked child (whose only thread,
 * the one that forked, is its main thread now). */
void tp_main_thread_set(void);
bool tp_on_main_thread(void);

#endif
