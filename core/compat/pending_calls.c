#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include "pending_calls.h"

#include <Python.h>
#if PY_VERSION_HEX < 0x03090000
#include "internal/pycore_pystate.h"   /* _PyRuntime.ceval.pending */
#endif

bool tp_pending_calls_open(void)
{
#if PY_VERSION_HEX < 0x03090000
    return !_PyRuntime.ceval.pending.finishing;
#else
    return true;
#endif
}
