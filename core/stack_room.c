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
    if (rc != 0 || size <= TP_STACK_RESERVE)
        return tp_stack_floor = 1;
    return tp_stack_floor = (uintptr_t)low + TP_STACK_RESERVE;
}
