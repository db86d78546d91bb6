#include "tree_spool.h"
#include "node_match.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_BYTES (1u << 20)   /* write when this much is pending */
#define READ_BYTES (1u << 20)    /* read this much at a time */

/* Record flags. */
enum { F_END = 1, F_THREAD = 2, F_LINENO = 4, F_ELAPSED = 8, F_UNFINISHED = 16, F_NATIVE = 32 };

/* The texts of a begin record, in this order, each present or not. */
enum { T_NAME, T_ARGS, T_RETURN, T_EXCEPTION, T_FILE, T_COUNT };

struct tp_tree_spool {
    int fd;
    tp_tree_view view;
    tp_buf out;                  /* records not written yet */
    tp_buf name;                 /* the display name being written */
    int write_errno;             /* first write error, 0 if none */
    bool out_of_memory;
    unsigned char *in;           /* replay buffer */
    size_t in_len, in_pos, in_cap;
    uint64_t *open;              /* replay: index of each open call */
};

static int open_temp(tp_buf *error)
{
    const char *dir = getenv("TMPDIR");
    tp_buf path = TP_BUF_INIT;
    tp_buf_printf(&path, "%s/tph-tree-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = path.failed ? -1 : mkostemp(path.data, O_CLOEXEC);
    if (fd < 0)
        tp_buf_printf(error, "cannot create a temporary file in %s: %s",
                      dir && *dir ? dir : "/tmp", strerror(errno));
    else
        unlink(path.data);
    tp_buf_free(&path);
    return fd;
}

tp_tree_spool *tp_tree_spool_new(const tp_tree_view *view, tp_buf *error)
{
    tp_tree_spool *s = calloc(1, sizeof *s);
    if (!s) {
        tp_buf_puts(error, "out of memory");
        return NULL;
    }
    s->view = *view;
    s->fd = open_temp(error);
    if (s->fd < 0) {
        free(s);
        return NULL;
    }
    return s;
}

void tp_tree_spool_free(tp_tree_spool *s)
{
    if (!s)
        return;
    close(s->fd);
    tp_buf_free(&s->out);
    tp_buf_free(&s->name);
    free(s->in);
    free(s->open);
    free(s);
}

/* ---- writing ---- */

static void flush_out(tp_tree_spool *s)
{
    size_t done = 0;
    while (done < s->out.len && s->write_errno == 0) {
        ssize_t n = write(s->fd, s->out.data + done, s->out.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            s->write_errno = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    tp_buf_reset(&s->out);
}

static unsigned char *put(unsigned char *at, const void *value, size_t size)
{
    memcpy(at, value, size);
    return at + size;
}

/* Appends one record of `size` bytes laid out by the caller; returns where
 * its body (after the length and flags) goes, or NULL. */
static unsigned char *start_record(tp_tree_spool *s, size_t size, unsigned char flags)
{
    if (s->out.len >= FLUSH_BYTES)
        flush_out(s);
    if (s->out_of_memory || size > UINT32_MAX || !tp_buf_reserve(&s->out, size)) {
        s->out_of_memory = true;
        return NULL;
    }
    unsigned char *at = (unsigned char *)s->out.data + s->out.len;
    s->out.len += size;
    uint32_t len32 = (uint32_t)size;
    at = put(at, &len32, sizeof len32);
    *at++ = flags;
    return at;
}

static double node_elapsed(const tp_node *n, bool *has)
{
    double ms = tp_node_elapsed_ms(n);
    *has = !isnan(ms);
    return *has ? ms : 0;
}

/* The texts the view prints. Without --args only whether there are any
 * matters, so a stand-in is kept. */
static void pick_texts(const tp_tree_spool *s, const tp_node *n, const char *texts[T_COUNT])
{
    texts[T_NAME] = tp_buf_cstr((tp_buf *)&s->name);
    texts[T_ARGS] = n->args && !s->view.args && *n->args ? "." : n->args;
    texts[T_RETURN] = s->view.returns ? n->return_value : NULL;
    texts[T_EXCEPTION] = n->exception;
    texts[T_FILE] = s->view.source ? n->file : NULL;
}

void tp_tree_spool_begin(tp_tree_spool *s, const tp_node *n)
{
    bool has_elapsed;
    double elapsed = node_elapsed(n, &has_elapsed);
    tp_node_display_name(&s->name, n);
    const char *texts[T_COUNT];
    size_t lens[T_COUNT];
    pick_texts(s, n, texts);
    unsigned char flags = (n->unfinished ? F_UNFINISHED : 0) | (has_elapsed ? F_ELAPSED : 0)
                          | (n->depth == 0 && n->has_thread ? F_THREAD : 0)
                          | (n->depth == 0 && n->has_native_thread ? F_NATIVE : 0)
                          | (s->view.source && n->has_lineno ? F_LINENO : 0);
    size_t size = 4 + 1 + 1 + (flags & F_THREAD ? 8 : 0) + (flags & F_NATIVE ? 8 : 0)
                  + (flags & F_LINENO ? 8 : 0)
                  + (has_elapsed ? 8 : 0);
    unsigned char mask = 0;
    for (int t = 0; t < T_COUNT; t++) {
        if (!texts[t])
            continue;
        mask |= (unsigned char)(1u << t);
        lens[t] = strlen(texts[t]);
        size += 4 + lens[t] + 1;
    }
    unsigned char *at = start_record(s, size, flags);
    if (!at)
        return;
    *at++ = mask;
    if (flags & F_THREAD)
        at = put(at, &n->thread, 8);
    if (flags & F_NATIVE)
        at = put(at, &n->native_thread, 8);
    if (flags & F_LINENO)
        at = put(at, &n->lineno, 8);
    if (has_elapsed)
        at = put(at, &elapsed, 8);
    for (int t = 0; t < T_COUNT; t++) {
        if (!texts[t])
            continue;
        uint32_t len32 = (uint32_t)lens[t];
        at = put(at, &len32, 4);
        at = put(at, texts[t], lens[t] + 1);
    }
}

void tp_tree_spool_end(tp_tree_spool *s, const tp_node_end *e)
{
    unsigned char *at = start_record(s, 4 + 1 + (e->has_elapsed ? 8 : 0),
                                     F_END | (e->has_elapsed ? F_ELAPSED : 0));
    if (at && e->has_elapsed)
        put(at, &e->elapsed_ms, 8);
}

bool tp_tree_spool_finish(tp_tree_spool *s, tp_buf *error)
{
    flush_out(s);
    if (s->out_of_memory)
        tp_buf_puts(error, "out of memory");
    else if (s->write_errno)
        tp_buf_printf(error, "cannot write a temporary file: %s", strerror(s->write_errno));
    return !s->out_of_memory && s->write_errno == 0;
}

/* ---- replaying ---- */

/* Makes `need` bytes available at s->in + s->in_pos; false at the end of
 * the file (or on a read error, with errno set). */
static bool fill(tp_tree_spool *s, size_t need)
{
    if (s->in_len - s->in_pos >= need)
        return true;
    memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
    s->in_len -= s->in_pos;
    s->in_pos = 0;
    if (need > s->in_cap) {
        unsigned char *in = realloc(s->in, need);
        if (!in)
            return false;
        s->in = in;
        s->in_cap = need;
    }
    while (s->in_len < need) {
        ssize_t n = read(s->fd, s->in + s->in_len, s->in_cap - s->in_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        s->in_len += (size_t)n;
    }
    return true;
}

struct cursor {
    const unsigned char *at, *end;
    bool bad;
};

static void take(struct cursor *c, void *out, size_t size)
{
    if ((size_t)(c->end - c->at) < size) {
        c->bad = true;
        memset(out, 0, size);
        return;
    }
    memcpy(out, c->at, size);
    c->at += size;
}

static const char *take_text(struct cursor *c)
{
    uint32_t len = 0;
    take(c, &len, 4);
    if (c->bad || (size_t)(c->end - c->at) <= len || c->at[len] != '\0') {
        c->bad = true;
        return NULL;
    }
    const char *text = (const char *)c->at;
    c->at += len + 1;
    return text;
}

/* Fills `n` from a begin record's body. The display name travels as the
 * qualname (without module), which the printer shows unchanged. */
static bool read_begin(struct cursor *c, unsigned char flags, tp_node *n)
{
    unsigned char mask = 0;
    take(c, &mask, 1);
    n->has_thread = flags & F_THREAD;
    n->has_native_thread = flags & F_NATIVE;
    n->has_lineno = flags & F_LINENO;
    n->has_elapsed = flags & F_ELAPSED;
    n->unfinished = flags & F_UNFINISHED;
    if (n->has_thread)
        take(c, &n->thread, 8);
    if (n->has_native_thread)
        take(c, &n->native_thread, 8);
    if (n->has_lineno)
        take(c, &n->lineno, 8);
    if (n->has_elapsed)
        take(c, &n->elapsed_ms, 8);
    const char **slots[T_COUNT] = {&n->qualname, &n->args, &n->return_value, &n->exception,
                                   &n->file};
    for (int t = 0; t < T_COUNT; t++)
        if (mask & (1u << t))
            *slots[t] = take_text(c);
    return !c->bad && n->qualname;
}

struct replay {
    void (*begin)(const tp_node *, void *);
    void (*end)(const tp_node_end *, void *);
    void *ctx;
    uint64_t next_index;
    unsigned depth;
};

static bool replay_record(tp_tree_spool *s, struct replay *r, struct cursor *c)
{
    unsigned char flags = 0;
    take(c, &flags, 1);
    if (!(flags & F_END)) {
        tp_node n;
        memset(&n, 0, sizeof n);
        if (r->depth > TP_MAX_NODE_DEPTH || !read_begin(c, flags, &n))
            return false;
        n.index = r->next_index++;
        n.depth = r->depth;
        s->open[r->depth++] = n.index;
        r->begin(&n, r->ctx);
        return true;
    }
    if (r->depth == 0)
        return false;
    tp_node_end e;
    memset(&e, 0, sizeof e);
    e.depth = --r->depth;
    e.index = s->open[e.depth];
    e.descendants = r->next_index - e.index - 1;
    e.has_elapsed = flags & F_ELAPSED;
    if (e.has_elapsed)
        take(c, &e.elapsed_ms, 8);
    if (c->bad)
        return false;
    r->end(&e, r->ctx);
    return true;
}

static bool replay_setup(tp_tree_spool *s)
{
    if (!s->in && !(s->in = malloc(READ_BYTES)))
        return false;
    s->in_cap = s->in_cap ? s->in_cap : READ_BYTES;
    if (!s->open && !(s->open = malloc((TP_MAX_NODE_DEPTH + 1) * sizeof *s->open)))
        return false;
    s->in_len = s->in_pos = 0;
    return lseek(s->fd, 0, SEEK_SET) == 0;
}

bool tp_tree_spool_replay(tp_tree_spool *s, void (*begin)(const tp_node *, void *),
                          void (*end)(const tp_node_end *, void *), void *ctx, tp_buf *error)
{
    struct replay r = {begin, end, ctx, 0, 0};
    if (!replay_setup(s)) {
        tp_buf_printf(error, "cannot read a temporary file: %s", strerror(errno));
        return false;
    }
    errno = 0;
    while (fill(s, 4)) {
        uint32_t size;
        memcpy(&size, s->in + s->in_pos, 4);
        if (size < 5 || !fill(s, size))
            break;
        struct cursor c = {s->in + s->in_pos + 4, s->in + s->in_pos + size, false};
        s->in_pos += size;
        if (!replay_record(s, &r, &c))
            break;
    }
    if (s->in_pos == s->in_len && errno == 0 && r.depth == 0)
        return true;
    tp_buf_printf(error, "cannot read a temporary file: %s",
                  errno ? strerror(errno) : "not what was written");
    return false;
}
