#include "stack_room.h"

#include <pthread.h>

_Thread_local uintptr_t tp_stack_floor __attribute__((tls_model("initial-exec")));

uintptr_t tp_stack_measure(void)
{
    pthread_attr_t attr;
    void *low = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return tp_stack_floor = 1;   /* unknown: never "low" */
    int rc = pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
    if (rc != 0 || size == 0)
        return tp_stack_floor = 1;
    /* A small stack (threading.stack_size(256 * 1024), ulimit -s 256)
     * keeps half of itself: with no reserve at all, deep recursion ran
     * it out inside the evaluator's frames. */
    size_t reserve = size > 2 * TP_STACK_RESERVE ? TP_STACK_RESERVE : size / 2;
    return tp_stack_floor = (uintptr_t)low + reserve;
}
