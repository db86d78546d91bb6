/* Serialises a closed window in the trace format (shared/trace-format.md,
 * docs/format.md). Pure C: runs in the writer thread without the GIL. */
#ifndef TP_TRACE_JSON_H
#define TP_TRACE_JSON_H

#include <stdbool.h>

#include "window.h"

/* Writes the whole trace to `fd` (marking the code metadata that has
 * calls). Returns 0, or an errno value. */
int tp_trace_json_write(tp_window *w, int fd);

/* Process facts for the header, gathered once at setup (GIL held). */
void tp_trace_json_set_python_version(const char *version);

#endif
