/* Texts of a thread's recording (arguments, values, line-mode variables):
 * NUL-terminated strings in one arena, referred to by offset. Internal to
 * record*.c. */
#ifndef TP_RECORD_TEXT_H
#define TP_RECORD_TEXT_H

#include "window.h"

/* Where the next text starts, or TP_NONE once the arena is past 4 GiB. */
static inline uint32_t tp_text_mark(tp_thread *t)
{
    return t->text.len > UINT32_MAX - 1 ? TP_NONE : (uint32_t)t->text.len;
}

/* Ends the text begun at `start`; the window's memory account counts the
 * bytes recorded (max_memory_mb), not what the allocator reserved. */
static inline void tp_text_end(tp_thread *t, tp_window *w, uint32_t start)
{
    tp_buf_append(&t->text, "", 1); /* the NUL that ends this text */
    if (start != TP_NONE)
        w->memory += t->text.len - start;
}

/* Forgets the text begun at `start` (it turned out not to be needed). */
static inline void tp_text_drop(tp_thread *t, uint32_t start)
{
    if (start != TP_NONE && start <= t->text.len) {
        t->text.len = start;
        if (t->text.data)
            t->text.data[start] = '\0';
    }
}

static inline const char *tp_text_at(const tp_thread *t, uint32_t off)
{
    return off == TP_NONE || off >= t->text.len ? NULL : t->text.data + off;
}

#endif
