/* The header's `threads` table, looked up by thread (thread_ref.h). */
#ifndef TPH_TRACE_THREADS_H
#define TPH_TRACE_THREADS_H

#include "buf.h"
#include "header.h"
#include "thread_ref.h"

#include <stdint.h>

/* The kernel thread id of `thread`: its own when the file gave it, else
 * its entry's in the table, else its ident. */
int64_t tp_thread_native_id(const tp_header *h, tp_thread_ref thread);

/* Appends the thread's name, "Thread <ident>" when it has none. */
void tp_thread_label(tp_buf *out, const tp_header *h, tp_thread_ref thread);

#endif
