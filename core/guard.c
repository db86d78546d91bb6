#include "guard.h"

/* See guard.h: per-thread, touched only by its own thread. */
_Thread_local unsigned tp_guard_depth __attribute__((tls_model("initial-exec")));
