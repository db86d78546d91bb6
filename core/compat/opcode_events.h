/* Trace-function path (3.8-3.11), line mode: per-instruction ("opcode")
 * events of one frame, for the statements of a multi-statement line. */
#ifndef TP_COMPAT_OPCODE_EVENTS_H
#define TP_COMPAT_OPCODE_EVENTS_H

#include <stdbool.h>

#include "frame.h"

#if PY_VERSION_HEX < 0x030C0000
/* Opcode events for this frame only; other frames never get them. */
static inline void tp_frame_trace_opcodes(PyFrameObject *f, bool on)
{
    f->f_trace_opcodes = on;
}

/* Byte offset of the instruction an opcode event is about (the one about
 * to run): 3.10 counts f_lasti in code units, 3.11 keeps it in the
 * interpreter frame. */
static inline int tp_frame_offset(PyFrameObject *f)
{
#  if PY_VERSION_HEX >= 0x030B0000
    return _PyInterpreterFrame_LASTI(f->f_frame) * (int)sizeof(_Py_CODEUNIT);
#  elif PY_VERSION_HEX >= 0x030A0000
    return f->f_lasti * (int)sizeof(_Py_CODEUNIT);
#  else
    return f->f_lasti;
#  endif
}
#endif

#endif
