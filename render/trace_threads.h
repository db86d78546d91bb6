/* The header's `threads` table, looked up by Python thread ident. */
#ifndef TPH_TRACE_THREADS_H
#define TPH_TRACE_THREADS_H

#include "buf.h"
#include "header.h"

#include <stdint.h>

/* The kernel thread id of `ident`, or `ident` itself when the table does
 * not give one. */
int64_t tp_thread_native_id(const tp_header *h, int64_t ident);

/* Appends the thread's name, "Thread <ident>" when it has none. */
void tp_thread_label(tp_buf *out, const tp_header *h, int64_t ident);

#endif
