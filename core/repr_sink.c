/* The bounded writer: counts code points, and cuts with "..." when a value
 * would exceed its limit, without ever splitting a UTF-8 sequence. */
#include "repr_internal.h"

#include <string.h>

void tp_sink_rewind(tp_sink *s)
{
    s->out->len = s->start;
    if (s->out->data)
        s->out->data[s->start] = '\0';
    s->extra = 0;
    s->keep_len = s->start;
    s->full = false;
    tp_sink_refresh(s);
}

/* The value needs more than `limit` code points: keep the first keep_at and
 * fill the rest of the limit with dots ("..." unless the limit is below 3). */
static void cut(tp_sink *s)
{
    s->out->len = s->keep_len;
    if (s->out->data)
        s->out->data[s->keep_len] = '\0';
    for (size_t i = s->keep_at; i < s->limit; i++)   /* at most 3 */
        tp_buf_putc(s->out, '.');
    tp_sink_stop(s);
}

/* Appends n code points that are n bytes long; the caller checked room. */
static void append_counted(tp_sink *s, const char *p, size_t n)
{
    size_t count = tp_sink_count(s);
    if (count < s->keep_at && count + n >= s->keep_at) {
        size_t before = s->keep_at - count;
        tp_buf_append(s->out, p, before);
        s->keep_len = s->out->len;
        p += before;
        n -= before;
    }
    tp_buf_append(s->out, p, n);
}

void tp_sink_ascii_near_limit(tp_sink *s, const char *p, size_t n)
{
    if (s->full || n == 0)
        return;
    size_t room = s->limit - tp_sink_count(s);
    if (n <= room) {
        append_counted(s, p, n);
        tp_sink_refresh(s);   /* the buffer may have grown */
        return;
    }
    append_counted(s, p, room);
    cut(s);
}

static size_t encode_utf8(uint32_t cp, char *u)
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void tp_sink_code_point(tp_sink *s, uint32_t cp)
{
    if (s->full)
        return;
    if (tp_sink_count(s) == s->limit) {
        cut(s);
        return;
    }
    /* Only a user's __repr__/__str__ result can hold a lone surrogate (our
     * own str repr escapes them); UTF-8 cannot encode one. */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    char u[4];
    size_t n = encode_utf8(cp, u);
    size_t before = s->out->len;
    tp_buf_append(s->out, u, n);
    if (s->out->len != before + n)
        return;   /* out of memory: the buffer says so */
    s->extra += n - 1;
    if (tp_sink_count(s) == s->keep_at)
        s->keep_len = s->out->len;
    tp_sink_refresh(s);
}
