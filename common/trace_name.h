/* Names of trace files: trace_<YYYYmmdd>_<HHMMSS>_<usec>[_<label>]_<pid>.json
 * (local time of the window start). Shared by the core and tph. */
#ifndef TP_TRACE_NAME_H
#define TP_TRACE_NAME_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "buf.h"

/* Appends the file name. The label is reduced to [A-Za-z0-9_-] (others
 * become '_') and cut to 64 characters; NULL or "" means no label. */
void tp_trace_file_name(tp_buf *out, const struct timespec *start, const char *label, pid_t pid);
/* Appends the default fallback directory, where a trace goes when its
 * cache directory cannot take it: <tmpdir>/tracepatch-<euid>, tmpdir being
 * TMPDIR's value when it is an absolute path (pass getenv's), else /tmp. */
void tp_fallback_dir_default(tp_buf *out, const char *tmpdir, uid_t euid);
/* Appends the fallback directory that the `fallback_dir` setting names
 * (NULL: the default above; a relative path as it is, for the caller to
 * take from the window's working directory). False, appending nothing,
 * when the setting is "none". */
bool tp_fallback_dir_of(tp_buf *out, const char *setting, const char *tmpdir, uid_t euid);
/* Appends the ISO 8601 local time with microseconds: 2026-11-21T23:50:55.123456 */
void tp_iso_timestamp(tp_buf *out, const struct timespec *t);

#endif
