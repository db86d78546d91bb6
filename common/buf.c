#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void (*tp_buf_on_failure)(void);

/* cap 0 keeps tp_buf_append's inline path from writing: it tests only cap. */
static bool fail(tp_buf *b)
{
    if (tp_buf_on_failure)
        tp_buf_on_failure();
    b->failed = true;
    b->cap = 0;
    return false;
}

void tp_buf_fail(tp_buf *b)
{
    fail(b);
}

bool tp_buf_reserve(tp_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            return fail(b);
        cap *= 2;
    }
    char *p = b->memory ? b->memory->resize(b->data, b->held, cap) : realloc(b->data, cap);
    if (!p)
        return fail(b);
    b->data = p;
    b->cap = b->held = cap;
    return true;
}

void tp_buf_append_slow(tp_buf *b, const void *data, size_t n)
{
    if (n == 0 || !tp_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tp_buf_printf(tp_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        tp_buf_append(b, small, (size_t)n);
        return;
    }
    if (!tp_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *tp_buf_cstr(tp_buf *b)
{
    return b->data ? b->data : "";
}

void tp_buf_reset(tp_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

void tp_buf_free(tp_buf *b)
{
    if (b->memory && b->data)
        b->memory->release(b->data, b->held);
    else
        free(b->data);
    b->data = NULL;
    b->len = b->cap = b->held = 0;
    b->failed = false;
}
