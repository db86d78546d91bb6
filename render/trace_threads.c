#include "trace_threads.h"
#include "json_value.h"

int64_t tp_thread_native_id(const tp_header *h, tp_thread_ref thread)
{
    if (thread.has_native)
        return thread.native;
    tp_thread_ref entry;
    yajl_val t = tp_header_thread(h, thread);
    return t && tp_header_thread_entry_ref(t, &entry) && entry.has_native ? entry.native
                                                                          : thread.ident;
}

void tp_thread_label(tp_buf *out, const tp_header *h, tp_thread_ref thread)
{
    const char *name = tp_header_thread_name(h, thread);
    if (name && *name)
        tp_text_append(out, name);
    else
        tp_buf_printf(out, "Thread %lld", (long long)thread.ident);
}
