/* How close the current thread is to the end of its C stack. */
#ifndef TP_STACK_ROOM_H
#define TP_STACK_ROOM_H

#include <stdbool.h>
#include <stdint.h>

/* Below this much room the frame evaluator hands over (events_choose.c);
 * a stack of less than twice this keeps half of itself. */
#define TP_STACK_RESERVE (256u * 1024u)

/* Each thread's lowest address it may use with TP_STACK_RESERVE left;
 * 0 until measured. Owned by its thread; initial-exec as it is read at
 * every frame (one word of dlopen's static TLS surplus). */
extern _Thread_local uintptr_t tp_stack_floor __attribute__((tls_model("initial-exec")));

/* Measures this thread's stack (pthread_getattr_np). */
uintptr_t tp_stack_measure(void);

/* Whether the C stack has less than TP_STACK_RESERVE left. Stacks grow
 * down on every platform we build for. */
static inline bool tp_stack_low(void)
{
    char here;
    uintptr_t floor = tp_stack_floor ? tp_stack_floor : tp_stack_measure();
    return (uintptr_t)&here < floor;
}

#endif
