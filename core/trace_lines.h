/* Line mode in the trace file: a node's "lines" object (docs/format.md).
 * Writer thread, no Python. */
#ifndef TP_TRACE_LINES_H
#define TP_TRACE_LINES_H

#include "buf.h"
#include "source_lines.h"
#include "window.h"

/* Appends `,"lines":{...}` for the call's line record. */
void tp_trace_lines_json(tp_buf *out, const tp_window *w, const tp_thread *t,
                         const tp_line_call *lc, tp_source_cache *src);

#endif
