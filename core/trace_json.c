#include "trace_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "decimal.h"
#include "deferred_value.h"
#include "json_str.h"
#include "trace_lines.h"
#include "trace_name.h"

#define FLUSH_AT (256 * 1024)

/* Set once at setup, before any window; read by writer threads. */
static char python_version[64] = "unknown";

void tp_trace_json_set_python_version(const char *version)
{
    snprintf(python_version, sizeof python_version, "%s", version);
}

typedef struct out {
    tp_buf buf;
    int fd;
    int err;
    tp_source_cache src;     /* line mode: source files read so far */
    tp_buf value;            /* a recorded value with its deferred values written out */
    uint64_t min_free;       /* bytes the file system keeps free (min_free_mb) */
} out;

/* Whether `n` more bytes leave the file system `min_free` bytes free: the
 * app's own files (its logs) may share it. Asked before every chunk, so
 * another writer filling the disk meanwhile is seen too. A file system
 * that cannot say is written to: fstatvfs fails, or it reports no size at
 * all (a tmpfs mounted with size=0, which has no limit, and some FUSE
 * file systems say 0 blocks, 0 free). */
static bool leaves_room(const out *o, size_t n)
{
    struct statvfs fs;
    if (o->min_free == 0 || fstatvfs(o->fd, &fs) != 0 || fs.f_blocks == 0)
        return true;
    uint64_t free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize;
    return free_bytes >= o->min_free && free_bytes - o->min_free >= n;
}

static void flush(out *o)
{
    size_t done = 0;
    if (!o->err && o->buf.len && !leaves_room(o, o->buf.len))
        o->err = TP_TRACE_JSON_NO_ROOM;
    while (!o->err && done < o->buf.len) {
        ssize_t n = write(o->fd, o->buf.data + done, o->buf.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            o->err = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    if (o->buf.failed && !o->err)
        o->err = ENOMEM;
    tp_buf_reset(&o->buf);
}

static void maybe_flush(out *o)
{
    if (o->buf.len >= FLUSH_AT)
        flush(o);
}

/* Keys and integers are appended directly: through printf, each took ~1000
 * instructions, and a node has a dozen (callgrind: ~15K instructions a
 * node, two thirds of them printf). Keys are ours: nothing to escape. */
static void key(out *o, const char *k)
{
    tp_buf_putc(&o->buf, '"');
    tp_buf_puts(&o->buf, k);
    tp_buf_append(&o->buf, "\":", 2);
}

/* v in decimal, at least `width` digits (zeros in front). */
static void put_unsigned(out *o, uint64_t v, int width)
{
    char digits[TP_DECIMAL_MAX];
    tp_buf_append(&o->buf, digits, (size_t)(tp_put_decimal(digits, v, width) - digits));
}

static void put_signed(out *o, int64_t v)
{
    if (v < 0)
        tp_buf_putc(&o->buf, '-');
    put_unsigned(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 1);
}

static void str_or_null(out *o, const char *s)
{
    if (s)
        tp_json_string(&o->buf, s, strlen(s));
    else
        tp_buf_puts(&o->buf, "null");
}

static void kv_str(out *o, const char *k, const char *s)
{
    key(o, k);
    str_or_null(o, s);
    tp_buf_putc(&o->buf, ',');
}

/* A recorded argument list, return value or exception: it may hold
 * deferred values, whose prefixes are in `w`'s store. */
static void kv_value(out *o, const tp_window *w, const char *k, const char *s)
{
    size_t n;
    if (!s || !tp_deferred_any(s, &n)) {
        kv_str(o, k, s);
        return;
    }
    key(o, k);
    tp_buf_reset(&o->value);
    tp_deferred_expand(s, &w->object_prefixes, &o->value);
    tp_json_string(&o->buf, o->value.data, o->value.len);
    if (o->value.failed)
        o->err = ENOMEM;
    tp_buf_putc(&o->buf, ',');
}

/* Seconds since the epoch, microsecond precision, printed from integers so
 * no digit is lost to double rounding. */
static void wall_time(out *o, const tp_window *w, uint64_t mono_ns)
{
    int64_t ns = (int64_t)w->start_wall.tv_sec * 1000000000 + w->start_wall.tv_nsec +
                 (int64_t)(mono_ns - w->start.ns);
    if (ns < 0)   /* a clock set before 1970 */
        tp_buf_putc(&o->buf, '-');
    uint64_t magnitude = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
    put_unsigned(o, magnitude / 1000000000, 1);
    tp_buf_putc(&o->buf, '.');
    put_unsigned(o, magnitude % 1000000000 / 1000, 6);
}

/* Milliseconds with three decimals, rounded half up from the exact
 * nanoseconds (printf's "%.3f" of ns / 1e6 rounded a double instead, at
 * ~1700 instructions a number). */
static void ms(out *o, uint64_t ns)
{
    uint64_t us = ns / 1000 + (ns % 1000 >= 500);
    put_unsigned(o, us / 1000, 1);
    tp_buf_putc(&o->buf, '.');
    put_unsigned(o, us % 1000, 3);
}

static void strlist(out *o, const tp_strlist *l)
{
    tp_buf_putc(&o->buf, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            tp_buf_putc(&o->buf, ',');
        str_or_null(o, l->items[i]);
    }
    tp_buf_putc(&o->buf, ']');
}

/* ---- the header ---- */

static void argv_array(out *o)
{
    tp_buf_putc(&o->buf, '[');
    FILE *f = fopen("/proc/self/cmdline", "re");
    if (f) {
        tp_buf arg = TP_BUF_INIT;
        bool first = true;
        int c;
        do {
            c = fgetc(f);
            if (c == '\0' || c == EOF) {
                if (arg.len || c == '\0') {
                    if (!first)
                        tp_buf_putc(&o->buf, ',');
                    tp_json_string(&o->buf, tp_buf_cstr(&arg), arg.len);
                    first = false;
                }
                tp_buf_reset(&arg);
            } else {
                tp_buf_putc(&arg, (char)c);
            }
        } while (c != EOF);
        tp_buf_free(&arg);
        fclose(f);
    }
    tp_buf_puts(&o->buf, "],");
}

static void trace_id(out *o)
{
    unsigned char r[4] = {0};
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)time(NULL);
        memcpy(r, &x, sizeof r);
    }
    tp_buf_printf(&o->buf, "\"trace_id\":\"%02x%02x%02x%02x\",", r[0], r[1], r[2], r[3]);
}

static void config_object(out *o, const tp_config *c)
{
    key(o, "config");
    tp_buf_printf(&o->buf, "{\"max_depth\":%ld,\"max_calls\":%ld,\"max_repr\":%ld,",
                  c->max_depth, c->max_calls, c->max_repr);
    key(o, "max_seconds");
    tp_json_number(&o->buf, c->max_seconds);
    tp_buf_printf(&o->buf, ",\"max_memory_mb\":%ld,", c->max_memory_mb);
    key(o, "ignore_modules");
    strlist(o, &c->ignore_modules);
    tp_buf_putc(&o->buf, ',');
    key(o, "include_modules");
    strlist(o, &c->include_modules);
    tp_buf_printf(&o->buf, ",\"repr\":\"%s\",\"repr_budget_ms\":%ld,",
                  c->repr_safe ? "safe" : "full", c->repr_budget_ms);
    key(o, "redact");
    strlist(o, &c->redact);
    tp_buf_printf(&o->buf, ",\"record_c_calls\":%s},", c->record_c_calls ? "true" : "false");
}

typedef struct stats {
    uint32_t max_depth;
    uint32_t unique_functions, unique_modules;
    uint64_t slowest_ticks, slowest_ns;
    const char *slowest_name;
    uint64_t line_events;
} stats;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Without memory to sort them, each module is compared with those before
 * it: slower, and still the true count. */
static uint32_t count_modules_slowly(const tp_window *w)
{
    uint32_t unique = 0;
    for (uint32_t i = 0; i < w->codes.n; i++) {
        if (!w->codes.metas[i].used)
            continue;
        uint32_t j = 0;
        while (j < i && !(w->codes.metas[j].used &&
                          strcmp(w->codes.metas[j].module, w->codes.metas[i].module) == 0))
            j++;
        unique += j == i;
    }
    return unique;
}

static uint32_t count_modules(const tp_window *w)
{
    const char **mods = malloc(((size_t)w->codes.n + 1) * sizeof *mods);
    if (!mods)
        return count_modules_slowly(w);
    size_t n = 0;
    for (uint32_t i = 0; i < w->codes.n; i++)
        if (w->codes.metas[i].used)
            mods[n++] = w->codes.metas[i].module;
    qsort(mods, n, sizeof *mods, cmp_str);
    uint32_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(mods[i], mods[i - 1]) != 0)
            unique++;
    free(mods);
    return unique;
}

static uint64_t node_end(const tp_window *w, const tp_node *n)
{
    uint64_t end = (n->flags & TP_NODE_ENDED) ? n->end : w->end.ticks;
    return end > n->start ? end : n->start;   /* never before it began */
}

/* Also marks the code metadata that has recorded calls. */
static stats compute_stats(tp_window *w, uint32_t **depths)
{
    stats s = {0};
    uint32_t t_i = 0;
    for (const tp_thread *t = w->threads; t; t = t->next, t_i++) {
        uint32_t *depth = depths[t_i];
        for (uint32_t i = 0; i < t->n_nodes; i++) {
            const tp_node *n = &t->nodes[i];
            depth[i] = n->parent == TP_NONE ? 1 : depth[n->parent] + 1;
            if (depth[i] > s.max_depth)
                s.max_depth = depth[i];
            tp_code_meta *m = &w->codes.metas[n->code];
            m->used = true;
            uint64_t el = node_end(w, n) - n->start;
            if (el >= s.slowest_ticks) {
                s.slowest_ticks = el;
                s.slowest_name = m->qualname;
            }
        }
    }
    for (uint32_t i = 0; i < w->codes.n; i++)
        s.unique_functions += w->codes.metas[i].used;
    s.unique_modules = count_modules(w);
    s.line_events = w->line_events;
    s.slowest_ns = tp_window_ns_of(w, s.slowest_ticks);
    return s;
}

static void stats_object(out *o, const stats *s)
{
    tp_buf_printf(&o->buf, "\"stats\":{\"max_depth_reached\":%u,\"unique_functions\":%u,"
                  "\"unique_modules\":%u,\"slowest_call_ms\":",
                  s->max_depth, s->unique_functions, s->unique_modules);
    ms(o, s->slowest_ns);
    tp_buf_putc(&o->buf, ',');
    key(o, "slowest_call_name");
    str_or_null(o, s->slowest_name);
    tp_buf_printf(&o->buf, ",\"line_events\":%llu},", (unsigned long long)s->line_events);
}

static void threads_array(out *o, const tp_window *w)
{
    tp_buf_puts(&o->buf, "\"threads\":[");
    bool first = true;
    for (const tp_thread *t = w->threads; t; t = t->next) {
        if (t->n_nodes == 0)
            continue;
        tp_buf_printf(&o->buf, "%s{\"id\":%lu,\"native_id\":%ld,\"name\":", first ? "" : ",",
                      t->ident, t->native_id);
        str_or_null(o, t->name);
        tp_buf_printf(&o->buf, ",\"call_count\":%u}", t->n_nodes);
        first = false;
    }
    tp_buf_puts(&o->buf, "],");
}

/* The classes whose own __repr__ used up its repr_budget_ms: only when
 * there are any (docs/format.md). */
static void repr_over_budget(out *o, const tp_window *w)
{
    const tp_repr_budget *b = &w->repr_budget;
    if (b->n_over == 0)
        return;
    tp_buf_puts(&o->buf, "\"repr_over_budget\":[");
    for (uint32_t i = 0; i < b->n_over; i++) {
        const tp_repr_class_time *e = tp_repr_budget_over_at(b, i);
        tp_buf_puts(&o->buf, i ? ",{" : "{");
        kv_str(o, "class", e->name);
        key(o, "ms");
        ms(o, tp_window_ns_of(w, e->ticks));
        tp_buf_printf(&o->buf, ",\"calls\":%llu}", (unsigned long long)e->calls);
    }
    tp_buf_puts(&o->buf, "],");
}

static void header(out *o, const tp_window *w, const stats *s)
{
    tp_buf_printf(&o->buf, "{\"tracepatch_version\":\"%s\",\"schema_version\":1,",
                  TRACEPATCH_VERSION);
    trace_id(o);
    key(o, "timestamp");
    tp_buf_putc(&o->buf, '"');
    tp_iso_timestamp(&o->buf, &w->start_wall);
    tp_buf_puts(&o->buf, "\",");
    kv_str(o, "label", w->label);
    tp_buf_printf(&o->buf, "\"pid\":%d,\"argv\":", (int)getpid());
    argv_array(o);
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    kv_str(o, "hostname", host);
    kv_str(o, "platform", "linux");
    kv_str(o, "python_version", python_version);
    kv_str(o, "working_directory", w->cwd);
    kv_str(o, "trigger", w->trigger);
    kv_str(o, "end_reason", w->end_reason);
    if (w->partial)
        tp_buf_puts(&o->buf, "\"partial\":true,");
    key(o, "duration_ms");
    ms(o, w->end.ns - w->start.ns);
    tp_buf_printf(&o->buf, ",\"call_count\":%llu,\"was_limited\":%s,",
                  (unsigned long long)w->call_count, w->limit_reason ? "true" : "false");
    kv_str(o, "limit_reason", w->limit_reason);
    tp_buf_printf(&o->buf, "\"dropped_calls\":%llu,", (unsigned long long)w->dropped);
    repr_over_budget(o, w);
    config_object(o, w->cfg);
    stats_object(o, s);
    threads_array(o, w);
}

/* ---- the nodes ---- */

static const char *kind_name(uint8_t kind)
{
    switch (kind) {
    case TP_KIND_GENERATOR: return "generator";
    case TP_KIND_COROUTINE: return "coroutine";
    case TP_KIND_ASYNC_GENERATOR: return "async_generator";
    case TP_KIND_BUILTIN: return "builtin";
    default: return "function";
    }
}

static const char *text_at(const tp_thread *t, uint32_t off)
{
    return off == TP_NONE || off >= t->text.len ? NULL : t->text.data + off;
}

/* Everything of a node but its children and closing brace. */
static void node_open(out *o, const tp_window *w, const tp_thread *t, uint32_t i)
{
    const tp_node *n = &t->nodes[i];
    const tp_code_meta *m = &w->codes.metas[n->code];
    bool ended = n->flags & TP_NODE_ENDED;
    uint64_t start = tp_window_ns(w, n->start), end = tp_window_ns(w, node_end(w, n));
    tp_buf_putc(&o->buf, '{');
    kv_str(o, "name", m->name);
    kv_str(o, "qualname", m->qualname);
    kv_str(o, "module", m->module);
    kv_str(o, "file", m->file);
    key(o, "lineno");
    put_signed(o, m->lineno);
    tp_buf_putc(&o->buf, ',');
    if (n->parent == TP_NONE) {
        /* CPython reuses a thread's ident as soon as the thread ends; the
         * kernel tid tells the threads of one window apart. */
        key(o, "thread");
        put_unsigned(o, t->ident, 1);
        tp_buf_puts(&o->buf, ",\"native_thread_id\":");
        put_signed(o, t->native_id);
        tp_buf_putc(&o->buf, ',');
    }
    if (n->task != TP_NONE)
        kv_str(o, "task", text_at(t, n->task));
    kv_str(o, "kind", kind_name(m->kind));
    kv_value(o, w, "args", text_at(t, n->args));
    kv_value(o, w, "return_value", (n->flags & TP_NODE_RETURNED) ? text_at(t, n->result) : NULL);
    kv_value(o, w, "exception", (n->flags & TP_NODE_RAISED) ? text_at(t, n->result) : NULL);
    key(o, "start");
    wall_time(o, w, start);
    tp_buf_puts(&o->buf, ",\"end\":");
    wall_time(o, w, end);
    tp_buf_puts(&o->buf, ",\"elapsed_ms\":");
    ms(o, end - start);
    if (tp_kind_is_resumable(m->kind)) {
        tp_buf_puts(&o->buf, ",\"suspended_ms\":");
        ms(o, tp_window_ns_of(w, n->suspended));
        tp_buf_puts(&o->buf, ",\"resumes\":");
        put_unsigned(o, n->resumes, 1);
    }
    if (!ended)
        tp_buf_puts(&o->buf, ",\"unfinished\":true");
    if (n->lines != TP_NONE && n->lines < t->n_lcalls)
        tp_trace_lines_json(&o->buf, w, t, &t->lcalls[n->lines], &o->src);
}

typedef struct links {
    uint32_t *first_child, *next_sibling;
} links;

static bool build_links(const tp_thread *t, links *l)
{
    size_t n = t->n_nodes ? t->n_nodes : 1;
    l->first_child = malloc(n * sizeof *l->first_child);
    l->next_sibling = malloc(n * sizeof *l->next_sibling);
    uint32_t *last_child = malloc(n * sizeof *last_child);
    if (!l->first_child || !l->next_sibling || !last_child) {
        free(last_child);
        return false;
    }
    for (uint32_t i = 0; i < t->n_nodes; i++)
        l->first_child[i] = l->next_sibling[i] = last_child[i] = TP_NONE;
    /* Nodes are stored in start order, so appending keeps children sorted. */
    for (uint32_t i = 0; i < t->n_nodes; i++) {
        uint32_t p = t->nodes[i].parent;
        if (p == TP_NONE)
            continue;
        if (last_child[p] == TP_NONE)
            l->first_child[p] = i;
        else
            l->next_sibling[last_child[p]] = i;
        last_child[p] = i;
    }
    free(last_child);
    return true;
}

/* Depth-first, without recursion: the tree can be as deep as the app's. */
static void subtree(out *o, const tp_window *w, const tp_thread *t, const links *l,
                    uint32_t root, uint32_t *stack)
{
    uint32_t sp = 0;
    node_open(o, w, t, root);
    stack[sp++] = root;
    bool entering = true;   /* about to look at the children of stack top */
    while (sp) {
        uint32_t top = stack[sp - 1];
        uint32_t next = entering ? l->first_child[top] : TP_NONE;
        if (next != TP_NONE) {
            tp_buf_puts(&o->buf, ",\"children\":[");
        } else {
            /* Close top; go on with its next sibling, if any. */
            tp_buf_putc(&o->buf, '}');
            sp--;
            next = l->next_sibling[top];
            if (sp == 0)
                break;
            if (next == TP_NONE) {
                tp_buf_putc(&o->buf, ']');
                entering = false;
                continue;
            }
            tp_buf_putc(&o->buf, ',');
        }
        node_open(o, w, t, next);
        stack[sp++] = next;
        entering = true;
        maybe_flush(o);
    }
}

typedef struct root_ref {
    uint64_t start;
    uint32_t thread, node;
} root_ref;

static int cmp_root(const void *a, const void *b)
{
    const root_ref *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->thread != y->thread)
        return x->thread < y->thread ? -1 : 1;
    return x->node < y->node ? -1 : (x->node > y->node);
}

static int trace_array(out *o, const tp_window *w, const tp_thread **threads, size_t n_threads)
{
    size_t n_roots = 0;
    for (size_t k = 0; k < n_threads; k++)
        for (uint32_t i = 0; i < threads[k]->n_nodes; i++)
            n_roots += threads[k]->nodes[i].parent == TP_NONE;
    root_ref *roots = malloc((n_roots ? n_roots : 1) * sizeof *roots);
    links *l = calloc(n_threads ? n_threads : 1, sizeof *l);
    uint32_t max_nodes = 1;
    int err = (!roots || !l) ? ENOMEM : 0;
    size_t r = 0;
    for (size_t k = 0; !err && k < n_threads; k++) {
        const tp_thread *t = threads[k];
        if (t->n_nodes > max_nodes)
            max_nodes = t->n_nodes;
        if (!build_links(t, &l[k]))
            err = ENOMEM;
        for (uint32_t i = 0; i < t->n_nodes; i++)
            if (t->nodes[i].parent == TP_NONE)
                roots[r++] = (root_ref){t->nodes[i].start, (uint32_t)k, i};
    }
    uint32_t *stack = err ? NULL : malloc((size_t)max_nodes * sizeof *stack);
    if (!err && !stack)
        err = ENOMEM;
    if (!err) {
        qsort(roots, n_roots, sizeof *roots, cmp_root);
        tp_buf_puts(&o->buf, "\"trace\":[");
        for (size_t i = 0; i < n_roots; i++) {
            if (i)
                tp_buf_putc(&o->buf, ',');
            subtree(o, w, threads[roots[i].thread], &l[roots[i].thread], roots[i].node, stack);
            maybe_flush(o);
        }
        tp_buf_puts(&o->buf, "]}\n");
    }
    for (size_t k = 0; l && k < n_threads; k++) {
        free(l[k].first_child);
        free(l[k].next_sibling);
    }
    free(l);
    free(roots);
    free(stack);
    return err;
}

int tp_trace_json_write(tp_window *w, int fd)
{
    out o = {TP_BUF_INIT, fd, 0, {NULL, 0, 0}, TP_BUF_INIT,
             (uint64_t)w->cfg->min_free_mb << 20};
    size_t n_threads = 0;
    for (const tp_thread *t = w->threads; t; t = t->next)
        n_threads++;
    const tp_thread **threads = malloc((n_threads ? n_threads : 1) * sizeof *threads);
    uint32_t **depths = calloc(n_threads ? n_threads : 1, sizeof *depths);
    int err = (!threads || !depths) ? ENOMEM : 0;
    size_t k = 0;
    for (const tp_thread *t = w->threads; !err && t; t = t->next, k++) {
        threads[k] = t;
        depths[k] = malloc((t->n_nodes ? t->n_nodes : 1) * sizeof **depths);
        if (!depths[k])
            err = ENOMEM;
    }
    if (!err) {
        stats s = compute_stats(w, depths);
        header(&o, w, &s);
        err = trace_array(&o, w, threads, n_threads);
        flush(&o);
        if (!err)
            err = o.err;
    }
    for (size_t i = 0; depths && i < n_threads; i++)
        free(depths[i]);
    free(depths);
    free(threads);
    tp_buf_free(&o.buf);
    tp_buf_free(&o.value);
    tp_source_cache_free(&o.src);
    return err;
}
