/* A growable byte buffer: the one way the project builds text in memory.
 * A failed allocation sets `failed` and later appends become no-ops, so a
 * caller can append freely and check once at the end. */
#ifndef TP_BUF_H
#define TP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Where a buffer's memory comes from when not from malloc: resize keeps
 * the contents (old is NULL with old_bytes 0 at first; NULL return: failed,
 * old untouched); release frees a block of `bytes`. */
typedef struct tp_buf_memory {
    void *(*resize)(void *old, size_t old_bytes, size_t new_bytes);
    void (*release)(void *block, size_t bytes);
} tp_buf_memory;

typedef struct tp_buf {
    char *data;     /* NUL-terminated when len > 0 or after tp_buf_cstr() */
    size_t len;
    size_t cap;
    bool failed;    /* an allocation failed; contents are truncated (cap is 0 then) */
    const tp_buf_memory *memory;   /* NULL: malloc; set before the first append */
    size_t held;    /* the size of data's block (cap is 0 once failed) */
} tp_buf;

#define TP_BUF_INIT {NULL, 0, 0, false, NULL, 0}

/* What a failed allocation does besides marking its buffer: nothing
 * (NULL) in the tracer, where every buffer's user checks `failed`; tph
 * sets it once in main, before any buffer grows, to end there. */
extern void (*tp_buf_on_failure)(void);

bool tp_buf_reserve(tp_buf *b, size_t extra);
/* Marks `b` failed, as a failed allocation of its own would: for text
 * that cannot be complete because another allocation of its builder's
 * failed, so that the one check at the end sees it. */
void tp_buf_fail(tp_buf *b);
/* Out of line: the growing part of tp_buf_append. */
void tp_buf_append_slow(tp_buf *b, const void *data, size_t n);

/* Copies n <= 16 bytes with fixed-size moves (two that may overlap), which
 * the compiler inlines: most appends on the tracer's hot path are a few
 * bytes, where a call to memcpy costs more than the copy. */
static inline void tp_copy_small(char *d, const char *s, size_t n)
{
    if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n >= 2) {
        memcpy(d, s, 2);
        memcpy(d + n - 2, s + n - 2, 2);
    } else {
        d[0] = s[0];
    }
}

/* On the tracer's hot path: no call when the bytes fit. */
static inline void tp_buf_append(tp_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    /* Read once: the bytes written below may alias *b as far as the
     * compiler knows, which would make it load len and data again. */
    size_t len = b->len;
    char *d = b->data;
    if (len + n < b->cap) {   /* never true once failed */
        b->len = len + n;
        if (n <= 16)
            tp_copy_small(d + len, data, n);
        else
            memcpy(d + len, data, n);
        d[len + n] = '\0';
        return;
    }
    tp_buf_append_slow(b, data, n);
}

/* The size of a padded text (tp_buf_append_padded). */
#define TP_BUF_PADDED 16

/* Appends n < TP_BUF_PADDED bytes from a text stored in TP_BUF_PADDED
 * readable bytes with a NUL at n (texts kept for the hot path, such as a
 * parameter's "x="): one fixed-size move, NUL included, where the room
 * allows. */
static inline void tp_buf_append_padded(tp_buf *b, const char *padded, size_t n)
{
    size_t len = b->len;
    if (len + TP_BUF_PADDED < b->cap) {   /* never true once failed */
        memcpy(b->data + len, padded, TP_BUF_PADDED);
        b->len = len + n;
        return;
    }
    tp_buf_append_slow(b, padded, n);
}

static inline void tp_buf_puts(tp_buf *b, const char *s)
{
    tp_buf_append(b, s, strlen(s));
}

static inline void tp_buf_putc(tp_buf *b, char c)
{
    tp_buf_append(b, &c, 1);
}
void tp_buf_printf(tp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *tp_buf_cstr(tp_buf *b);   /* "" for an empty buffer */
void tp_buf_reset(tp_buf *b);         /* len = 0, keeps memory */
void tp_buf_free(tp_buf *b);

#endif
