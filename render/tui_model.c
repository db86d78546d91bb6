#include "tui_model.h"
#include "node_match.h"
#include "reader.h"
#include "strmap.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (1u << 20)

/* Text storage that never moves: blocks are chained and freed together. */
struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
};

struct load_frame {
    uint32_t index;
    double child_ms;
};

struct tui_model {
    char *path;
    unsigned levels;
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t lock;
    /* shared with the UI, under `lock` */
    tui_node *nodes;
    uint32_t count, cap;
    tp_thread_ref *threads;
    uint16_t nthreads, threads_cap;
    bool loading;
    tp_buf error;
    tp_header header;
    atomic_bool cancel;          /* the UI is leaving: skip the rest */
    /* the loader's own, not locked */
    struct arena_block *arena;
    tp_strmap func_index;
    const tui_func **funcs;
    size_t nfuncs, funcs_cap;
    struct load_frame *stack;
    size_t depth, stack_cap;
    uint16_t last_thread;
    tp_buf scratch;
    bool failed;
};

static char *arena_alloc(tui_model *m, size_t n)
{
    struct arena_block *b = m->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = m->arena;
        b->used = 0;
        b->cap = cap;
        m->arena = b;
    }
    char *p = b->data + b->used;
    b->used += (n + 7) & ~(size_t)7;
    if (b->used > b->cap)
        b->used = b->cap;
    return p;
}

static const char *arena_strdup(tui_model *m, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(m, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static bool grow(void **items, uint32_t *cap, size_t size)
{
    uint32_t want = *cap ? *cap * 2 : 4096;
    if (want < *cap)
        return false;
    void *p = realloc(*items, (size_t)want * size);
    if (!p)
        return false;
    *items = p;
    *cap = want;
    return true;
}

/* The interned record for a node's function. */
static const tui_func *intern_func(tui_model *m, const tp_node *n)
{
    tp_buf *key = &m->scratch;
    tp_buf_reset(key);
    tp_buf_printf(key, "%s\x1f%s\x1f%s\x1f%s", n->module ? n->module : "\x1e",
                  n->qualname ? n->qualname : "\x1e", n->name ? n->name : "\x1e",
                  n->file ? n->file : "\x1e");
    size_t slot;
    bool added;
    if (key->failed || !tp_strmap_intern(&m->func_index, tp_buf_cstr(key), m->nfuncs, &slot, &added))
        return NULL;
    if (!added)
        return m->funcs[slot];
    if (m->nfuncs == m->funcs_cap) {
        size_t cap = m->funcs_cap ? m->funcs_cap * 2 : 256;
        const tui_func **f = realloc(m->funcs, cap * sizeof *f);
        if (!f)
            return NULL;
        m->funcs = f;
        m->funcs_cap = cap;
    }
    tui_func *f = (tui_func *)arena_alloc(m, sizeof *f);
    if (!f)
        return NULL;
    tp_node_display_name(key, n);
    *f = (tui_func){arena_strdup(m, n->name), arena_strdup(m, n->qualname),
                    arena_strdup(m, n->module), arena_strdup(m, n->file),
                    arena_strdup(m, tp_buf_cstr(key))};
    if (!f->display)
        return NULL;
    m->funcs[m->nfuncs++] = f;
    return f;
}

/* args, return value and exception in one block, each NUL-ended. */
static const char *store_texts(tui_model *m, const tp_node *n, uint16_t *flags)
{
    const char *parts[3] = {n->args, n->return_value, n->exception};
    const uint16_t bits[3] = {TUI_HAS_ARGS, TUI_HAS_RETURN, TUI_HAS_EXCEPTION};
    size_t len[3] = {0, 0, 0}, total = 0;
    for (int i = 0; i < 3; i++) {
        if (parts[i]) {
            len[i] = strlen(parts[i]) + 1;
            total += len[i];
            *flags |= bits[i];
        }
    }
    if (total == 0)
        return "";
    char *p = arena_alloc(m, total);
    if (!p)
        return NULL;
    for (int i = 0, at = 0; i < 3; i++) {
        memcpy(p + at, parts[i] ? parts[i] : "", len[i]);
        at += (int)len[i];
    }
    return p;
}

/* Called with the lock held: the threads table is shared. */
static bool thread_slot(tui_model *m, const tp_node *n, uint16_t *out)
{
    if (!n->has_thread)
        return true;
    tp_thread_ref thread = tp_node_thread(n);
    if (m->last_thread < m->nthreads && tp_thread_ref_equal(m->threads[m->last_thread], thread)) {
        *out = m->last_thread;
        return true;
    }
    for (uint16_t i = 0; i < m->nthreads; i++) {
        if (tp_thread_ref_equal(m->threads[i], thread)) {
            *out = m->last_thread = i;
            return true;
        }
    }
    if (m->nthreads == UINT16_MAX)
        return false;
    if (m->nthreads == m->threads_cap) {
        uint16_t cap = m->threads_cap ? (uint16_t)(m->threads_cap < 32768 ? m->threads_cap * 2 : UINT16_MAX) : 16;
        tp_thread_ref *t = realloc(m->threads, cap * sizeof *t);
        if (!t)
            return false;
        m->threads = t;
        m->threads_cap = cap;
    }
    m->threads[m->nthreads] = thread;
    *out = m->last_thread = m->nthreads++;
    return true;
}

static bool push_frame(tui_model *m, uint32_t index)
{
    if (m->depth == m->stack_cap) {
        size_t cap = m->stack_cap ? m->stack_cap * 2 : 64;
        struct load_frame *s = realloc(m->stack, cap * sizeof *s);
        if (!s)
            return false;
        m->stack = s;
        m->stack_cap = cap;
    }
    m->stack[m->depth++] = (struct load_frame){index, 0};
    return true;
}

/* Adds the node to the shared table; false when out of memory. */
static bool publish(tui_model *m, const tui_node *node, const tp_node *n)
{
    bool ok = true;
    tui_model_lock(m);
    if (m->count == m->cap)
        ok = m->count < TUI_NONE - 1 && grow((void **)&m->nodes, &m->cap, sizeof *m->nodes);
    if (ok) {
        m->nodes[m->count] = *node;
        ok = thread_slot(m, n, &m->nodes[m->count].thread);
        m->count++;
    }
    tui_model_unlock(m);
    return ok;
}

static void on_begin(const tp_node *n, void *ctx)
{
    tui_model *m = ctx;
    if (m->failed || atomic_load_explicit(&m->cancel, memory_order_relaxed))
        return;
    tui_node node;
    memset(&node, 0, sizeof node);
    node.func = intern_func(m, n);
    node.text = store_texts(m, n, &node.flags);
    node.parent = m->depth ? m->stack[m->depth - 1].index : TUI_NONE;
    node.depth = (uint16_t)n->depth;
    if (n->has_lineno && n->lineno > 0 && n->lineno <= UINT32_MAX) {
        node.lineno = (uint32_t)n->lineno;
        node.flags |= TUI_HAS_LINENO;
    }
    if (n->has_thread)
        node.flags |= TUI_HAS_THREAD;
    if (n->depth + 1 < m->levels)
        node.flags |= TUI_EXPANDED;
    if (!node.func || !node.text || !publish(m, &node, n) || !push_frame(m, m->count - 1))
        m->failed = true;
}

static void on_end(const tp_node_end *e, void *ctx)
{
    tui_model *m = ctx;
    if (m->failed || m->depth == 0 || atomic_load_explicit(&m->cancel, memory_order_relaxed))
        return;
    struct load_frame *f = &m->stack[--m->depth];
    double elapsed = e->has_elapsed ? e->elapsed_ms : 0;
    tui_model_lock(m);
    tui_node *node = &m->nodes[f->index];
    node->descendants = (uint32_t)e->descendants;
    node->flags |= TUI_ENDED | (e->unfinished ? TUI_UNFINISHED : 0);
    if (e->has_elapsed) {
        node->flags |= TUI_HAS_ELAPSED;
        node->elapsed_ms = (float)elapsed;
        node->self_ms = (float)(elapsed > f->child_ms ? elapsed - f->child_ms : 0);
    }
    tui_model_unlock(m);
    if (m->depth > 0)
        m->stack[m->depth - 1].child_ms += elapsed;
}

static void *load(void *arg)
{
    tui_model *m = arg;
    tp_reader_callbacks cb = {on_begin, on_end, m, false};
    tp_buf error = TP_BUF_INIT;
    int rc = tp_read_trace(m->path, &cb, &m->header, &error);
    tui_model_lock(m);
    if (rc != 0)
        tp_buf_puts(&m->error, tp_buf_cstr(&error));
    else if (m->failed)
        tp_buf_printf(&m->error, "%s: out of memory at byte 0", m->path);
    m->loading = false;
    tui_model_unlock(m);
    tp_buf_free(&error);
    return NULL;
}

tui_model *tui_model_open(const char *path, unsigned levels)
{
    tui_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->path = strdup(path);
    m->levels = levels;
    m->loading = true;
    atomic_init(&m->cancel, false);
    tp_header_init(&m->header);
    pthread_mutex_init(&m->lock, NULL);
    if (!m->path || pthread_create(&m->thread, NULL, load, m) != 0) {
        tui_model_free(m);
        return NULL;
    }
    m->thread_started = true;
    return m;
}

void tui_model_free(tui_model *m)
{
    if (!m)
        return;
    atomic_store(&m->cancel, true);
    if (m->thread_started)
        pthread_join(m->thread, NULL);
    while (m->arena) {
        struct arena_block *next = m->arena->next;
        free(m->arena);
        m->arena = next;
    }
    tp_strmap_free(&m->func_index);
    free(m->funcs);
    free(m->stack);
    free(m->nodes);
    free(m->threads);
    tp_buf_free(&m->scratch);
    tp_buf_free(&m->error);
    tp_header_free(&m->header);
    pthread_mutex_destroy(&m->lock);
    free(m->path);
    free(m);
}

void tui_model_lock(tui_model *m) { pthread_mutex_lock(&m->lock); }
void tui_model_unlock(tui_model *m) { pthread_mutex_unlock(&m->lock); }
uint32_t tui_model_count(const tui_model *m) { return m->count; }
tui_node *tui_model_node(const tui_model *m, uint32_t i) { return &m->nodes[i]; }
bool tui_model_loading(const tui_model *m) { return m->loading; }
const char *tui_model_path(const tui_model *m) { return m->path; }

uint32_t tui_model_subtree_end(const tui_model *m, uint32_t i)
{
    const tui_node *n = &m->nodes[i];
    return (n->flags & TUI_ENDED) ? i + n->descendants + 1 : m->count;
}

tp_thread_ref tui_model_thread(const tui_model *m, uint16_t slot)
{
    return slot < m->nthreads ? m->threads[slot] : (tp_thread_ref){0, 0, false, false};
}

const char *tui_model_error(const tui_model *m)
{
    return !m->loading && m->error.len ? tp_buf_cstr((tp_buf *)&m->error) : NULL;
}

const tp_header *tui_model_header(const tui_model *m)
{
    return !m->loading && !m->error.len ? &m->header : NULL;
}

static const char *nth_text(const tui_node *n, int which)
{
    static const uint16_t bits[3] = {TUI_HAS_ARGS, TUI_HAS_RETURN, TUI_HAS_EXCEPTION};
    if (!(n->flags & bits[which]))
        return NULL;
    const char *p = n->text;
    for (int i = 0; i < which; i++)
        if (n->flags & bits[i])
            p += strlen(p) + 1;
    return p;
}

const char *tui_node_args(const tui_node *n) { return nth_text(n, 0); }
const char *tui_node_return(const tui_node *n) { return nth_text(n, 1); }
const char *tui_node_exception(const tui_node *n) { return nth_text(n, 2); }
