#include "export.h"

#include <errno.h>

#define CHUNK (256u << 10)

void tp_sink_init(tp_sink *s, FILE *file)
{
    s->file = file;
    s->buf = (tp_buf)TP_BUF_INIT;
    s->failed = false;
    s->error = 0;
}

static void fail(tp_sink *s, int error)
{
    if (!s->failed)
        s->error = error ? error : EIO;
    s->failed = true;
}

static void flush(tp_sink *s)
{
    if (s->buf.failed)
        fail(s, ENOMEM);
    if (!s->failed && s->buf.len && fwrite(s->buf.data, 1, s->buf.len, s->file) != s->buf.len)
        fail(s, errno);
    tp_buf_reset(&s->buf);
}

void tp_sink_maybe_flush(tp_sink *s)
{
    if (s->buf.len >= CHUNK || s->buf.failed)
        flush(s);
}

bool tp_sink_finish(tp_sink *s)
{
    flush(s);
    tp_buf_free(&s->buf);
    if (fflush(s->file) != 0 || ferror(s->file))
        fail(s, errno);
    return !s->failed;
}
