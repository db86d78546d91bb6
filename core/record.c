#include "record.h"
#include "record_lines.h"
#include "record_text.h"

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "asyncio_tasks.h"
#include "clock.h"
#include "compat/errstate.h"
#include "compat/evalframe.h"
#include "events.h"
#include "greenlets.h"
#include "guard.h"
#include "mapped.h"
#include "repr_inline.h"
#include "stack_switch.h"
#include "thread_names.h"
#include "window_ctl.h"

/* How often (in recorded calls, a power of two) threads that appeared
 * without telling us are looked for. */
#define THREAD_POLL_CALLS 1024

/* The first text arena: 64 KiB. */
#define TEXT_FIRST_BYTES (64u << 10)

tp_window *tp_current_window;
_Thread_local tp_thread_cache tp_thread_tls __attribute__((tls_model("initial-exec")));

tp_thread *tp_rec_thread_attach(tp_window *w)
{
    tp_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ident = PyThread_get_thread_ident();
    t->native_id = (long)syscall(SYS_gettid);
    t->top_node = TP_NONE;
    /* Texts grow like the node array, by mremap: no copy of what is
     * recorded; a failed reserve only leaves the first append to fail. */
    t->text.memory = &tp_mapped_memory;
    tp_buf_reserve(&t->text, TEXT_FIRST_BYTES - 1);
    t->next = w->threads;
    w->threads = t;
    tp_thread_tls.gen = w->gen;
    tp_thread_tls.thread = t;
    /* Both may run the app's code (a Thread subclass's name property, an
     * import), which may let another thread close the window: it is held
     * meanwhile, and if it closed the caller records nothing. */
    tp_window_enter(w);
    t->name = tp_thread_name(t->ident);
    tp_greenlets_notice();
    bool still_open = tp_current_window == w;
    tp_window_leave(w);
    return still_open ? t : NULL;
}

/* ---- growth, with the window's memory account ---- */

static bool grow(void **array, uint32_t *cap, size_t elem)
{
    uint32_t ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*array, (size_t)ncap * elem);
    if (!p)
        return false;
    *array = p;
    *cap = ncap;
    return true;
}

/* The first node array: 64 KiB, about 1170 calls. */
#define NODES_FIRST_BYTES (64u << 10)

static bool grow_nodes(tp_thread *t)
{
    size_t have = (size_t)t->cap_nodes * sizeof *t->nodes;
    size_t want = tp_mapped_size(have ? have * 2 : NODES_FIRST_BYTES);
    if (want / sizeof *t->nodes > UINT32_MAX - 1)
        return false;
    tp_node *p = tp_mapped_resize(t->nodes, have, want);
    if (!p)
        return false;
    t->nodes = p;
    t->cap_nodes = (uint32_t)(want / sizeof *t->nodes);
    t->nodes_mapped = true;
    return true;
}

/* ---- suspended generators: frame -> node ---- */

static uint32_t susp_hash(const void *key, uint32_t mask)
{
    return (uint32_t)((((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static bool susp_put(tp_thread *t, const void *key, uint32_t node, uint64_t now)
{
    if ((t->n_susp + 1) * 2 > (t->susp ? t->susp_mask + 1 : 0)) {
        uint32_t size = t->susp ? (t->susp_mask + 1) * 2 : 64;
        tp_suspended *fresh = calloc(size, sizeof *fresh);
        if (!fresh)
            return false;
        for (uint32_t i = 0; t->susp && i <= t->susp_mask; i++) {
            if (!t->susp[i].key)
                continue;
            uint32_t h = susp_hash(t->susp[i].key, size - 1);
            while (fresh[h].key)
                h = (h + 1) & (size - 1);
            fresh[h] = t->susp[i];
        }
        free(t->susp);
        t->susp = fresh;
        t->susp_mask = size - 1;
    }
    uint32_t h = susp_hash(key, t->susp_mask);
    while (t->susp[h].key && t->susp[h].key != key)
        h = (h + 1) & t->susp_mask;
    if (!t->susp[h].key)
        t->n_susp++;
    t->susp[h] = (tp_suspended){key, node, now};
    return true;
}

/* Removes and returns the entry for `key` (backward-shift deletion keeps
 * the probe sequences intact). */
static bool susp_take(tp_thread *t, const void *key, tp_suspended *out)
{
    if (!t->n_susp)
        return false;
    uint32_t m = t->susp_mask, h = susp_hash(key, m);
    while (t->susp[h].key != key) {
        if (!t->susp[h].key)
            return false;
        h = (h + 1) & m;
    }
    *out = t->susp[h];
    t->n_susp--;
    for (uint32_t j = (h + 1) & m; t->susp[j].key; j = (j + 1) & m) {
        uint32_t home = susp_hash(t->susp[j].key, m);
        if (((j - home) & m) >= ((j - h) & m)) {
            t->susp[h] = t->susp[j];
            h = j;
        }
    }
    t->susp[h].key = NULL;
    return true;
}

/* The helpers every recorded call and return passes through are forced
 * inline: as separate functions their calls (prologues, spilled arguments,
 * pop's unwinding loop) cost ~70 instructions a call on fib (callgrind). */
#define HOT_PATH static inline __attribute__((always_inline))

/* ---- texts ---- */

/* A value's __repr__ may let another thread run and meet new code
 * objects, which can move the window's metadata array: `m` is fetched
 * again after each value. */
HOT_PATH void render_args(tp_thread *t, tp_window *w, uint32_t code, tp_iframe frame)
{
    for (uint16_t i = 0; i < w->codes.metas[code].n_params; i++) {
        const tp_code_meta *m = &w->codes.metas[code];
        size_t n = m->param_prefix_len[i];
        if (n < TP_BUF_PADDED)
            tp_buf_append_padded(&t->text, m->param_prefix[i], n);
        else
            tp_buf_append(&t->text, m->param_prefix[i], n);
        PyObject *v = tp_iframe_local(frame, m->param_slots[i]);
        if (m->param_shown[i] == TP_PARAM_REDACTED) {
            tp_buf_puts(&t->text, "'<redacted>'");
        } else if (!v) {
            tp_buf_puts(&t->text, "<unbound>");
        } else if (m->param_shown[i] == TP_PARAM_UNREADY) {
            tp_repr_safe_form(v, &w->repr, &t->text);
        } else {
            /* Borrowed from the frame, whose local a __repr__ can rebind
             * (frame.f_locals writes through on 3.13): every kind whose
             * rendering can run the app's code holds it (object_other in
             * repr_object.c). */
            tp_repr_value(v, &w->repr, &t->text);
        }
    }
}

/* ---- limits ---- */

static void hit_limit(tp_window *w, const char *reason)
{
    if (!w->limit_reason)
        w->limit_reason = reason;
}

/* Whether a new call may become a node; counts it as dropped if not. */
HOT_PATH bool may_record(tp_window *w, tp_thread *t, uint64_t now)
{
    if (now >= w->deadline_tick) {
        hit_limit(w, "max_seconds");
        w->draining = true;
        tp_window_request_close(w, "max_seconds");
    } else if (w->call_count >= (uint64_t)w->cfg->max_calls) {
        hit_limit(w, "max_calls");
        w->draining = true;
    } else if (w->memory >= w->memory_cap) {
        hit_limit(w, "max_memory");
        w->draining = true;
    } else if (t->recorded_depth >= w->cfg->max_depth) {
        hit_limit(w, "max_depth");
        w->dropped++;
        return false;
    }
    if (w->draining) {
        w->dropped++;
        if (w->running == 0)
            tp_window_request_close(w, w->limit_reason);
        return false;
    }
    /* Counted now, before the arguments are rendered: a __repr__ can let
     * other threads record, and they must see this call's place taken. */
    w->call_count++;
    return true;
}

/* ---- the shadow stack ---- */

/* The line record of a recorded call, or TP_NONE. */
static uint32_t node_lines(const tp_thread *t, uint32_t node)
{
    return node != TP_NONE ? t->nodes[node].lines : TP_NONE;
}

/* lcall: the line record of `node` (node_lines), which only calls in line
 * mode have, so most callers know it is TP_NONE without a look. */
HOT_PATH bool push(tp_thread *t, tp_window *w, const void *key, uint32_t node, uint32_t lcall)
{
    if (t->depth == t->cap_stack &&
        !grow((void **)&t->stack, &t->cap_stack, sizeof *t->stack))
        return false;
    t->stack[t->depth++] = (tp_frame_slot){key, node, t->top_node, NULL, lcall};
    if (node != TP_NONE) {
        t->top_node = node;
        t->recorded_depth++;
        w->running++;
    }
    return true;
}

/* The top coroutine of an asyncio task is a root of its own, named after
 * the task: tasks interleave, and their common ancestors are the event
 * loop's (ignored) frames. */
static void task_root(tp_thread *t, tp_window *w, tp_iframe frame, uint32_t *parent,
                      uint32_t *task)
{
    char *name = tp_task_name_if_root(tp_iframe_generator(frame));
    if (!name)
        return;
    *task = tp_text_mark(t);
    tp_buf_puts(&t->text, name);
    tp_text_end(t, w, *task);
    *parent = TP_NONE;
    free(name);
}

/* A call that may_record counted: its node. */
HOT_PATH uint32_t new_node(tp_thread *t, tp_window *w, uint32_t code, tp_iframe frame, uint64_t now)
{
    if (t->n_nodes == t->cap_nodes && !grow_nodes(t)) {
        w->call_count--;
        return TP_NONE;
    }
    uint32_t args = tp_text_mark(t);
    render_args(t, w, code, frame);
    tp_text_end(t, w, args);
    if (t->n_nodes == 0 && !t->name) /* threading registers a thread late */
        t->name = tp_thread_name(t->ident);
    uint32_t parent = t->top_node, task = TP_NONE;
    if (w->codes.metas[code].kind == TP_KIND_COROUTINE)
        task_root(t, w, frame, &parent, &task);
    w->memory += sizeof(tp_node);
    uint32_t idx = t->n_nodes++;
    /* A __repr__ of the app that rendering the arguments ran (it may
     * query a database) is not the call's time: its code starts after. */
    uint64_t repr_ended = w->repr_budget.app_repr_ended;
    t->nodes[idx] = (tp_node){.start = repr_ended > now ? repr_ended : now, .code = code, .parent = parent,
                              .args = args, .result = TP_NONE, .task = task,
                              .lines = TP_NONE};
    if (w->codes.metas[code].line_mode)
        t->nodes[idx].lines = tp_lines_begin(t, w, idx, code, frame);
    return idx;
}

static void resume(tp_thread *t, tp_window *w, const tp_suspended *s, uint64_t now)
{
    tp_node *n = &t->nodes[s->node];
    n->resumes++;
    n->suspended += now - s->since;
    push(t, w, s->key, s->node, node_lines(t, s->node));
}

/* What every call's start may trigger: a snapshot, or (each
 * THREAD_POLL_CALLS recorded calls) a look for threads that appeared
 * without telling us, and for greenlet. */
HOT_PATH void after_call_start(tp_window *w, uint64_t now, bool recorded)
{
    /* The call's rendering may have closed the window (a __repr__ that
     * reached our signal handler): a poll would then put the trace
     * function back on every thread, to stay there with no window. */
    if (w->next_snapshot_tick && now >= w->next_snapshot_tick && !w->closed)
        tp_window_snapshot(w, now);
    if (recorded && (w->call_count & (THREAD_POLL_CALLS - 1)) == 0 && !w->closed) {
        tp_events_poll();
        tp_greenlets_notice();
    }
}

/* ci: the code's metadata (tp_code_lookup). */
HOT_PATH int rec_enter_code(tp_window *w, tp_thread *t, const void *key, uint32_t ci,
                            tp_iframe frame, int kind)
{
    if (ci == TP_CODE_NONE) {
        hit_limit(w, "max_memory");
        w->draining = true;
        return TP_REC_OK;
    }
    const tp_code_meta *m = &w->codes.metas[ci];
    if (m->ignored)
        return TP_REC_IGNORED;
    uint64_t now = tp_ticks();
    if (tp_kind_is_resumable(m->kind)) {
        tp_suspended s;
        if (susp_take(t, key, &s) && kind != TP_ENTER_START) {
            resume(t, w, &s, now);
            return m->line_mode ? TP_REC_LINES : TP_REC_OK;
        }
    }
    uint32_t node = may_record(w, t, now) ? new_node(t, w, ci, frame, now) : TP_NONE;
    m = &w->codes.metas[ci]; /* the array may have moved (render_args) */
    push(t, w, key, node, m->line_mode ? node_lines(t, node) : TP_NONE);
    if (m->line_child && t->depth >= 2 && t->stack[t->depth - 2].lcall != TP_NONE) {
        /* A comprehension of a line-mode call: its lines are the call's. */
        t->stack[t->depth - 1].lcall = t->stack[t->depth - 2].lcall;
        return TP_REC_LINES;
    }
    after_call_start(w, now, node != TP_NONE);
    return m->line_mode && node != TP_NONE ? TP_REC_LINES : TP_REC_OK;
}

HOT_PATH int rec_enter(tp_window *w, tp_thread *t, const void *key, PyCodeObject *code,
                       tp_iframe frame, int kind)
{
    return rec_enter_code(w, t, key, tp_code_lookup(&w->codes, code, frame, w->cfg), frame, kind);
}

/* ---- exits ---- */

HOT_PATH void set_result(tp_thread *t, tp_window *w, tp_node *n, int kind, PyObject *value)
{
    uint32_t off = tp_text_mark(t);
    if (kind == TP_EXIT_RAISE) {
        n->flags |= TP_NODE_RAISED;
        if (value)
            tp_repr_exception(value, &w->repr, &t->text);
        else
            tp_buf_puts(&t->text, "<exception>");
    } else {
        n->flags |= TP_NODE_RETURNED;
        if (!value)
            tp_buf_puts(&t->text, "None");
        else
            tp_repr_value(value, &w->repr, &t->text);
    }
    tp_text_end(t, w, off);
    n->result = off;
}

/* A recorded call is no longer running: its caller's node is the top. */
HOT_PATH void leave_node(tp_thread *t, tp_window *w, uint32_t parent_top)
{
    t->top_node = parent_top;
    t->recorded_depth--;
    w->running--;
}

/* Finishes a recorded call's node that returned or raised. */
HOT_PATH void end_node(tp_thread *t, tp_window *w, uint32_t node, int kind, PyObject *value,
                       uint64_t now)
{
    tp_node *n = &t->nodes[node];
    /* Mark it ended before rendering: a repr may re-enter us. */
    n->end = now;
    n->flags |= TP_NODE_ENDED;
    if (kind != TP_EXIT_C_RETURN)
        set_result(t, w, n, kind, value);
}

/* A limit stopped recording: the window closes once no call runs. */
HOT_PATH void close_if_drained(tp_window *w)
{
    if (w->draining && w->running == 0)
        tp_window_request_close(w, w->limit_reason);
}

/* Pops the top frame, finishing its node according to `kind`
 * (TP_EXIT_C_RETURN: a C function's, whose result we never see). */
HOT_PATH void pop(tp_thread *t, tp_window *w, int kind, PyObject *value, uint64_t now)
{
    tp_frame_slot s = t->stack[--t->depth];
    /* A comprehension leaving leaves its line running in the call. */
    if (s.lcall != TP_NONE && (s.node == TP_NONE || t->nodes[s.node].lines == s.lcall))
        tp_lines_pause(t, w, s.lcall);
    if (s.node == TP_NONE) {
        t->top_node = s.parent_top;
    } else {
        leave_node(t, w, s.parent_top);
        if (kind == TP_EXIT_YIELD) {
            if (!susp_put(t, s.key, s.node, now))
                hit_limit(w, "max_memory");
        } else {
            end_node(t, w, s.node, kind, kind == TP_EXIT_RAISE && !value ? s.seen_exc : value,
                     now);
        }
        close_if_drained(w);
    }
    Py_XDECREF(s.seen_exc);
}

HOT_PATH int rec_exit(tp_window *w, tp_thread *t, const void *key, PyCodeObject *code,
                      tp_iframe frame, int kind, PyObject *value)
{
    uint32_t i = t->depth;
    while (i > 0 && t->stack[i - 1].key != key)
        i--;
    if (i == 0) {
        /* Not ours: begun before the window, or ignored code. */
        uint32_t ci = tp_code_lookup(&w->codes, code, frame, w->cfg);
        return ci != TP_CODE_NONE && w->codes.metas[ci].ignored ? TP_REC_IGNORED : TP_REC_OK;
    }
    uint64_t now = tp_ticks();
    /* Frames above ours left without telling us: they end here. */
    while (t->depth > i)
        pop(t, w, TP_EXIT_RAISE, NULL, now);
    pop(t, w, kind, value, now);
    return TP_REC_OK;
}

/* The window may be closed by user code we run (a __repr__ can reach a
 * safe point where our signal handler runs, or release the GIL): `busy`
 * keeps it from being handed to the writer until we are done with it. */
int tp_rec_enter(tp_thread *t, const void *key, PyCodeObject *code, tp_iframe frame, int kind)
{
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    int status = rec_enter(w, t, key, code, frame, kind);
    tp_window_leave(w);
    return status;
}

int tp_rec_exit(tp_thread *t, const void *key, PyCodeObject *code, tp_iframe frame, int kind,
                PyObject *value)
{
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    int status = rec_exit(w, t, key, code, frame, kind, value);
    tp_window_leave(w);
    return status;
}

/* What a frame that returned `result` gave: its value, or (NULL) the
 * exception it raised, which is still set on the thread. */
HOT_PATH PyObject *frame_value(PyObject *result, int *kind)
{
    *kind = TP_EXIT_RETURN;
    if (result)
        return result;
    *kind = TP_EXIT_RAISE;
    tp_guard_enter();   /* normalizing may run the exception's __init__ */
    PyObject *value = tp_err_current();
    tp_guard_exit();
    return value;
}

/* The frame has left: by an exception (no result), a yield or a return. */
HOT_PATH void frame_left(tp_thread *t, tp_iframe frame, PyCodeObject *code, PyObject *result)
{
    int kind;
    PyObject *value = frame_value(result, &kind);
    if (result && (code->co_flags & TP_CO_RESUMABLE) && tp_iframe_is_yielding(frame))
        kind = TP_EXIT_YIELD;
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    rec_exit(w, t, frame, code, frame, kind, value);
    tp_window_leave(w);
}

/* A plain function's call that ended while its thread is inside one of
 * our calls made for another greenlet (that greenlet's __repr__ blocked on
 * gevent I/O, and this one ran meanwhile): nothing may be rendered now,
 * as that greenlet's text is being written, so the call ends without its
 * value (null), and stops being its greenlet's top call. */
static __attribute__((noinline)) void ended_unseen(tp_thread *t, tp_window *w, uint32_t node,
                                                   uint32_t depth, uint32_t parent_top)
{
    tp_window_enter(w);
    while (t->depth > depth) {
        tp_frame_slot *s = &t->stack[--t->depth];
        Py_CLEAR(s->seen_exc);
        if (s->node != TP_NONE)
            leave_node(t, w, s->parent_top);
    }
    leave_node(t, w, parent_top);
    t->nodes[node].end = tp_ticks();
    t->nodes[node].flags |= TP_NODE_ENDED;
    close_if_drained(w);
    tp_window_leave(w);
}

/* A plain function's call (off_stack): started, run and finished in this
 * one C frame, which keeps what the shadow stack would (its node, the
 * node above it, the stack's depth), so neither is pushed nor searched:
 * ~50 instructions a call. Frames of other event sources pushed above it
 * and never popped (a fall-back to callbacks while it ran) end with it. */
HOT_PATH PyObject *evaluate_off_stack(tp_window *w, tp_thread *t, PyThreadState *ts,
                                      tp_iframe frame, uint32_t ci, int throwflag)
{
    uint64_t now = tp_ticks();
    uint32_t node = may_record(w, t, now) ? new_node(t, w, ci, frame, now) : TP_NONE;
    uint32_t parent_top = t->top_node, depth = t->depth;
    uint64_t gen = w->gen;
    if (node != TP_NONE) {
        t->top_node = node;
        t->recorded_depth++;
        w->running++;
    }
    after_call_start(w, now, node != TP_NONE);
    tp_window_leave(w);
    PyObject *result = tp_evalframe_default(ts, frame, throwflag);
    /* The window may have closed, or another opened, while it ran. */
    w = tp_current_window;
    if (node == TP_NONE || !w || w->gen != gen)
        return result;
    if (tp_guard_active()) {
        ended_unseen(t, w, node, depth, parent_top);
        return result;
    }
    int kind;
    PyObject *value = frame_value(result, &kind);
    tp_window_enter(w);
    now = tp_ticks();
    while (t->depth > depth)
        pop(t, w, TP_EXIT_RAISE, NULL, now);
    leave_node(t, w, parent_top);
    end_node(t, w, node, kind, value, now);
    close_if_drained(w);
    tp_window_leave(w);
    return result;
}

PyObject *tp_rec_evaluate(tp_thread *t, PyThreadState *ts, tp_iframe frame, PyCodeObject *code,
                          int throwflag)
{
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    uint32_t ci = tp_code_lookup(&w->codes, code, frame, w->cfg);
    if (ci != TP_CODE_NONE && w->codes.metas[ci].off_stack && !w->codes.metas[ci].ignored)
        return evaluate_off_stack(w, t, ts, frame, ci, throwflag);
    int status = rec_enter_code(w, t, frame, ci, frame, TP_ENTER_UNKNOWN);
    tp_window_leave(w);
    if (status == TP_REC_IGNORED)
        return tp_evalframe_default(ts, frame, throwflag);
    PyObject *result = tp_evalframe_default(ts, frame, throwflag);
    /* The window may have closed, or another opened, while it ran. */
    t = tp_rec_thread();
    if (t)
        frame_left(t, frame, code, result);
    return result;
}

static void c_call(tp_window *w, tp_thread *t, PyObject *callable)
{
    const void *key = tp_builtin_key(callable);
    uint32_t ci = key ? tp_code_lookup_builtin(&w->codes, key, callable, w->cfg) : TP_CODE_NONE;
    if (ci == TP_CODE_NONE || w->codes.metas[ci].ignored)
        return;
    uint64_t now = tp_ticks();
    uint32_t node = may_record(w, t, now) ? new_node(t, w, ci, NULL, now) : TP_NONE;
    push(t, w, callable, node, node_lines(t, node));
}

void tp_rec_c_call(tp_thread *t, PyObject *callable)
{
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    c_call(w, t, callable);
    tp_window_leave(w);
}

void tp_rec_c_return(tp_thread *t, PyObject *callable, bool raised)
{
    tp_window *w = tp_current_window;
    if (t->depth == 0 || t->stack[t->depth - 1].key != callable)
        return;
    tp_window_enter(w);
    pop(t, w, raised ? TP_EXIT_RAISE : TP_EXIT_C_RETURN, NULL, tp_ticks());
    tp_window_leave(w);
}

/* The line record of frame `key` if it is the running one, or TP_NONE. */
static uint32_t top_lcall(const tp_thread *t, const void *key)
{
    if (t->depth == 0 || t->stack[t->depth - 1].key != key)
        return TP_NONE;
    return t->stack[t->depth - 1].lcall;
}

bool tp_rec_line(tp_thread *t, const void *key, PyCodeObject *code, int lineno, bool again)
{
    uint32_t lcall = top_lcall(t, key);
    if (lcall == TP_NONE)
        return false;
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    bool split = tp_lines_step(t, w, lcall, code, lineno, again, tp_ticks());
    tp_window_leave(w);
    return split;
}

bool tp_rec_statement(tp_thread *t, const void *key, PyCodeObject *code, int offset)
{
    tp_window *w = tp_current_window;
    tp_window_enter(w);
    bool start = tp_lines_statement(t, w, top_lcall(t, key), code, offset, tp_ticks());
    tp_window_leave(w);
    return start;
}

void tp_rec_exception_seen(tp_thread *t, const void *key, PyObject *exc)
{
    if (t->depth == 0 || t->stack[t->depth - 1].key != key)
        return;
    tp_frame_slot *s = &t->stack[t->depth - 1];
    Py_XINCREF(exc);
    Py_XSETREF(s->seen_exc, exc);
}

void tp_thread_release(tp_thread *t)
{
    for (uint32_t i = 0; i < t->depth; i++)
        Py_CLEAR(t->stack[i].seen_exc);
    tp_stack_switch_release(t);
}

void tp_thread_free(tp_thread *t)
{
    tp_lines_free(t);
    free(t->name);
    if (t->nodes_mapped)
        tp_mapped_free(t->nodes, (size_t)t->cap_nodes * sizeof *t->nodes);
    else
        free(t->nodes);
    tp_buf_free(&t->text);
    free(t->stack);
    tp_stack_switch_free(t);
    free(t->susp);
    free(t);
}
