#include "internal.h"

#include "gil_switches.h"

unsigned long tp_gil_switches(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    struct _gil_runtime_state *gil = PyThreadState_Get()->interp->ceval.gil;
    return gil ? gil->switch_number : 0;
#else
    return _PyRuntime.ceval.gil.switch_number;
#endif
}
