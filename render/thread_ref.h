/* Which thread a call ran on. CPython reuses a thread's ident as soon as
 * the thread ends (a server that starts a thread per request sees the same
 * few idents again and again), so files from the core also give each root
 * its kernel tid (`native_thread_id`), and two calls are on the same
 * thread when both agree. Files without it (the Python package's) are
 * grouped by ident alone, as before. */
#ifndef TPH_THREAD_REF_H
#define TPH_THREAD_REF_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tp_thread_ref {
    int64_t ident, native;
    bool has_ident, has_native;
} tp_thread_ref;

static inline bool tp_thread_ref_equal(tp_thread_ref a, tp_thread_ref b)
{
    return a.has_ident == b.has_ident && (!a.has_ident || a.ident == b.ident)
           && a.has_native == b.has_native && (!a.has_native || a.native == b.native);
}

#endif
