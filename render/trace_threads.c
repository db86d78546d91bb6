#include "trace_threads.h"
#include "json_value.h"

int64_t tp_thread_native_id(const tp_header *h, tp_thread_ref thread)
{
    if (thread.has_native)
        return thread.native;
    yajl_val t = tp_header_thread(h, thread);
    const char *path[] = {"native_id", NULL};
    yajl_val native = t ? yajl_tree_get(t, path, yajl_t_number) : NULL;
    return native && YAJL_IS_INTEGER(native) ? YAJL_GET_INTEGER(native) : thread.ident;
}

void tp_thread_label(tp_buf *out, const tp_header *h, tp_thread_ref thread)
{
    const char *name = tp_header_thread_name(h, thread);
    if (name && *name)
        tp_text_append(out, name);
    else
        tp_buf_printf(out, "Thread %lld", (long long)thread.ident);
}

bool tp_thread_entry_ref(yajl_val entry, tp_thread_ref *out)
{
    const char *id_path[] = {"id", NULL};
    const char *native_path[] = {"native_id", NULL};
    yajl_val id = YAJL_IS_OBJECT(entry) ? yajl_tree_get(entry, id_path, yajl_t_number) : NULL;
    if (!id || !YAJL_IS_INTEGER(id))
        return false;
    yajl_val native = yajl_tree_get(entry, native_path, yajl_t_number);
    bool has_native = native && YAJL_IS_INTEGER(native);
    *out = (tp_thread_ref){YAJL_GET_INTEGER(id), has_native ? YAJL_GET_INTEGER(native) : 0,
                           true, has_native};
    return true;
}
