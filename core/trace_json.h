/* Serialises a closed window in the trace format (shared/trace-format.md,
 * docs/format.md). Pure C: runs in the writer thread without the GIL. */
#ifndef TP_TRACE_JSON_H
#define TP_TRACE_JSON_H

#include <stdbool.h>

#include "window.h"

/* What tp_trace_json_write returns when the file would have left its file
 * system with less than `min_free_mb` free (not an errno value). */
#define TP_TRACE_JSON_NO_ROOM (-1)

/* Writes the whole trace to `fd` (marking the code metadata that has
 * calls). Returns 0, TP_TRACE_JSON_NO_ROOM, or an errno value. */
int tp_trace_json_write(tp_window *w, int fd);

/* Process facts for the header, gathered once at setup (GIL held). */
void tp_trace_json_set_python_version(const char *version);

#endif
