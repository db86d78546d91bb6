/* CPython's internal headers, for the few places that read the runtime's
 * own state (compat/audit_hooks.c, compat/gil_switches.c). Included first
 * by those files: Py_BUILD_CORE must be set before Python.h. */
#ifndef TP_COMPAT_INTERNAL_H
#define TP_COMPAT_INTERNAL_H

#ifndef Py_BUILD_CORE
#define Py_BUILD_CORE 1
#endif
#include <Python.h>

#if PY_VERSION_HEX >= 0x03090000
#include "internal/pycore_interp.h"
#include "internal/pycore_runtime.h"
#else
#include "internal/pycore_pystate.h"
#endif

#endif
