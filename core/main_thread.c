#include "main_thread.h"

#include <pthread.h>

/* Written by the constructor (before the interpreter starts) and by the
 * after-fork hook in a child (single-threaded then); read anywhere. */
static pthread_t main_thread;

void tp_main_thread_set(void)
{
    main_thread = pthread_self();
}

bool tp_on_main_thread(void)
{
    return pthread_equal(pthread_self(), main_thread);
}
