/* Whether CPython takes pending calls (Py_AddPendingCall) now: 3.8 stops
 * taking them once finalization begins, before the atexit functions run,
 * and prints a SystemError to stderr when asked. This file is the only
 * place that knows. */
#ifndef TP_COMPAT_PENDING_CALLS_H
#define TP_COMPAT_PENDING_CALLS_H

#include <stdbool.h>

bool tp_pending_calls_open(void);

#endif
