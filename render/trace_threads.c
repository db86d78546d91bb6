#include "trace_threads.h"
#include "json_value.h"

static yajl_val find_thread(const tp_header *h, int64_t ident)
{
    yajl_val threads = tp_header_get(h, "threads");
    if (!YAJL_IS_ARRAY(threads))
        return NULL;
    for (size_t i = 0; i < threads->u.array.len; i++) {
        yajl_val t = threads->u.array.values[i];
        const char *path[] = {"id", NULL};
        yajl_val id = YAJL_IS_OBJECT(t) ? yajl_tree_get(t, path, yajl_t_number) : NULL;
        if (id && YAJL_IS_INTEGER(id) && YAJL_GET_INTEGER(id) == ident)
            return t;
    }
    return NULL;
}

int64_t tp_thread_native_id(const tp_header *h, int64_t ident)
{
    yajl_val t = find_thread(h, ident);
    const char *path[] = {"native_id", NULL};
    yajl_val native = t ? yajl_tree_get(t, path, yajl_t_number) : NULL;
    return native && YAJL_IS_INTEGER(native) ? YAJL_GET_INTEGER(native) : ident;
}

void tp_thread_label(tp_buf *out, const tp_header *h, int64_t ident)
{
    const char *name = tp_header_thread_name(h, ident);
    if (name && *name)
        tp_text_append(out, name);
    else
        tp_buf_printf(out, "Thread %lld", (long long)ident);
}
