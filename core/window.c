#include "window_ctl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "compat/pending_calls.h"
#include "events.h"
#include "exit_paths.h"
#include "log.h"
#include "record.h"
#include "repr.h"
#include "term_signals.h"
#include "thread_names.h"
#include "trace_name.h"
#include "writer.h"

const tp_config *tp_settings;

/* Generation of the newest window; only changed with the GIL held. */
static uint64_t last_gen;

bool tp_window_is_open(void)
{
    return tp_current_window != NULL;
}

/* Where a trace goes when its cache directory cannot take it (a service
 * whose working directory is "/", a read-only tree): `fallback_dir` as
 * configured, or by default a private directory in TMPDIR (when it is an
 * absolute path) or /tmp. NULL with `*none` set when the setting is
 * "none"; NULL alone when memory ran out. Read at opening, on the thread
 * that opens (GIL held): the writer thread reads no environment. */
static char *fallback_dir(const tp_config *cfg, bool *none)
{
    tp_buf built = TP_BUF_INIT;
    *none = !tp_fallback_dir_of(&built, cfg->fallback_dir, getenv("TMPDIR"), geteuid());
    char *out = *none || built.failed ? NULL : strdup(tp_buf_cstr(&built));
    tp_buf_free(&built);
    return out;
}

/* The working directory. When getcwd fails (the directory was deleted,
 * as a deploy that swaps releases does under a running service, or a
 * parent is unreadable) the window still opens, the header shows what
 * /proc says of it, and a relative cache_dir is left relative: the kernel
 * resolves it, or writing fails with the reason, rather than creating a
 * directory named "... (deleted)". NULL: out of memory. */
static char *working_dir(bool *unknown)
{
    char *cwd = getcwd(NULL, 0);
    *unknown = cwd == NULL;
    if (cwd || errno == ENOMEM)
        return cwd;
    char link[PATH_MAX];
    ssize_t n = readlink("/proc/self/cwd", link, sizeof link - 1);
    if (n < 0)
        return strdup("(deleted)");
    link[n] = '\0';
    return strdup(link);
}

static tp_window *window_new(const char *trigger)
{
    tp_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    const tp_config *cfg = tp_settings;
    w->gen = ++last_gen;
    w->trigger = trigger;
    w->cfg = cfg;
    tp_clock_choose();
    w->start = tp_clock_now();
    clock_gettime(CLOCK_REALTIME, &w->start_wall);
    w->deadline_tick = w->start.ticks + tp_clock_ticks_in((uint64_t)(cfg->max_seconds * 1e9));
    w->memory_cap = (size_t)cfg->max_memory_mb << 20;
    w->cwd = working_dir(&w->cwd_unknown);
    bool no_fallback = false;
    w->fallback_dir = fallback_dir(cfg, &no_fallback);
    w->label = cfg->default_label ? strdup(cfg->default_label) : NULL;
    w->repr.max_chars = (size_t)cfg->max_repr;
    w->repr.safe = cfg->repr_safe;
    tp_repr_opts_set_redact(&w->repr, (const char *const *)cfg->redact.items, cfg->redact.n);
    tp_repr_budget_init(&w->repr_budget, cfg->repr_budget_ms, !cfg->quiet);
    w->repr.budget = &w->repr_budget;
    w->codes.words = &w->repr;
    w->repr.object_prefixes = &w->object_prefixes;
    w->repr.object_prefixes_gen = w->gen;
    w->repr.object_prefixes_account = &w->memory;
    w->snapshot_every_ticks = tp_clock_ticks_in((uint64_t)(cfg->snapshot_seconds * 1e9));
    w->next_snapshot_tick = w->snapshot_every_ticks ? w->start.ticks + w->snapshot_every_ticks : 0;
    if (!w->cwd || (!w->fallback_dir && !no_fallback) || (cfg->default_label && !w->label)) {
        free(w->cwd);
        free(w->fallback_dir);
        free(w->label);
        free(w);
        return NULL;
    }
    return w;
}

void tp_window_free(tp_window *w)
{
    for (tp_thread *t = w->threads, *next; t; t = next) {
        next = t->next;
        tp_thread_free(t);
    }
    tp_code_table_free(&w->codes);
    tp_buf_free(&w->object_prefixes);
    free(w->cwd);
    free(w->fallback_dir);
    free(w->label);
    free(w);
}

bool tp_window_open(const char *trigger, const char *how)
{
    if (tp_current_window)
        return false;
    tp_at_exit_register();   /* no Python code: nothing can open a window meanwhile */
    tp_window *w = window_new(trigger);
    if (!w) {
        tp_log("cannot open a window: out of memory");
        return false;
    }
    tp_current_window = w;
    if (!tp_events_start()) {
        tp_current_window = NULL;
        tp_window_free(w);
        return false;
    }
    w->pid = getpid();
    tp_term_signals_window_opened();
    if (!tp_settings->quiet)
        tp_log("window opened (%s)", how);
    return true;
}

/* Closed windows that a recording step still uses (`busy`), handed off
 * when it is done with them: usually none, at most a few (a __repr__ that
 * waits for long while windows open and close). GIL held. */
static tp_window *awaiting;

static void stop_awaiting(tp_window *w)
{
    for (tp_window **p = &awaiting; *p; p = &(*p)->next_awaiting) {
        if (*p == w) {
            *p = w->next_awaiting;
            return;
        }
    }
}

/* Each awaiting window is to be written in place when handed off; the
 * last one written runs `then`. */
static void await_in_place(void (*before)(void), void (*then)(void))
{
    for (tp_window *a = awaiting; a; a = a->next_awaiting) {
        a->write_in_place = true;
        a->before_write = before;
        a->after_write = then;
    }
}

bool tp_window_awaiting(void)
{
    return awaiting != NULL;
}

/* GIL held, no callback inside the window any more. */
void tp_window_hand_off(tp_window *w)
{
    stop_awaiting(w);
    for (tp_thread *t = w->threads; t; t = t->next) {
        tp_thread_release(t);
        if (!t->name && t->n_nodes)
            t->name = tp_thread_name(t->ident);
    }
    tp_code_table_release(&w->codes);
    tp_repr_forget_types();
    tp_repr_budget_release(&w->repr_budget);
    void (*then)(void) = w->write_in_place ? w->after_write : NULL;
    void (*before)(void) = w->write_in_place ? w->before_write : NULL;
    bool in_place = w->write_in_place;
    /* `before` begins the last write (a terminating signal: no grace from
     * then on); while other windows still wait for their steps, the grace
     * still counts. */
    if (before && !awaiting)
        before();
    if (in_place)
        tp_writer_write_now(w);   /* frees w */
    else
        tp_writer_submit(w);
    /* `then` ends the process (a terminating signal): not before the
     * windows still awaiting their step are written too. */
    if (then && awaiting)
        await_in_place(before, then);
    else if (then)
        then();
    /* A window handed to the writer: the terminating signals are given
     * back, and one that arrived during the window kills the process
     * there (term_signals.c), once the writer is done. */
    if (!in_place)
        tp_term_signals_window_closed();
}

static void close_window(const char *reason, bool in_place, void (*before)(void),
                         void (*then)(void))
{
    tp_window *w = tp_current_window;
    if (!w) {
        if (in_place)
            await_in_place(before, then);
        return;
    }
    tp_events_stop();
    tp_current_window = NULL;
    w->end = tp_clock_now();
    tp_clock_learn(&w->start, &w->end);
    w->end_reason = reason;
    w->closed = true;
    w->write_in_place = in_place;
    w->before_write = before;
    w->after_write = then;
    if (w->busy == 0) {
        tp_window_hand_off(w);
    } else {
        w->next_awaiting = awaiting;
        awaiting = w;
    }
}

void tp_window_close(const char *reason)
{
    close_window(reason, false, NULL, NULL);
}

void tp_window_close_in_place(const char *reason)
{
    close_window(reason, true, NULL, NULL);
}

void tp_window_close_in_place_then(const char *reason, void (*before)(void),
                                   void (*then)(void))
{
    close_window(reason, true, before, then);
}


/* ---- snapshots ---- */

static tp_thread *copy_thread(const tp_thread *t)
{
    tp_thread *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ident = t->ident;
    c->native_id = t->native_id;
    c->name = t->name ? strdup(t->name) : NULL;
    c->n_nodes = c->cap_nodes = t->n_nodes;
    c->nodes = t->n_nodes ? malloc(t->n_nodes * sizeof *t->nodes) : NULL;
    if (c->nodes)
        memcpy(c->nodes, t->nodes, t->n_nodes * sizeof *t->nodes);
    /* Snapshots leave line-mode records out; the final trace has them. */
    for (uint32_t i = 0; c->nodes && i < c->n_nodes; i++)
        c->nodes[i].lines = TP_NONE;
    tp_buf_append(&c->text, t->text.data, t->text.len);
    if ((t->n_nodes && !c->nodes) || (t->name && !c->name) || c->text.failed) {
        tp_thread_free(c);
        return NULL;
    }
    return c;
}

/* The writer needs only the names of each code object. */
static bool copy_codes(const tp_code_table *from, tp_code_table *to)
{
    to->metas = calloc(from->n ? from->n : 1, sizeof *to->metas);
    if (!to->metas)
        return false;
    for (uint32_t i = 0; i < from->n; i++) {
        const tp_code_meta *m = &from->metas[i];
        tp_code_meta *c = &to->metas[to->n++];
        c->name = tp_pool_strdup(&to->pool, m->name);
        c->qualname = tp_pool_strdup(&to->pool, m->qualname);
        c->module = tp_pool_strdup(&to->pool, m->module);
        c->file = tp_pool_strdup(&to->pool, m->file);
        c->lineno = m->lineno;
        c->kind = m->kind;
        if (!c->name || !c->qualname || !c->module || !c->file)
            return false;
    }
    to->cap = to->n;
    return true;
}

static tp_window *copy_window(const tp_window *w, tp_clock_pair now)
{
    tp_window *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *w;
    c->threads = NULL;
    memset(&c->codes, 0, sizeof c->codes);
    c->cwd = strdup(w->cwd);
    c->fallback_dir = w->fallback_dir ? strdup(w->fallback_dir) : NULL;
    c->label = w->label ? strdup(w->label) : NULL;
    c->end = now;
    c->end_reason = NULL;
    c->partial = true;
    c->snapshots_running = 0;
    c->object_prefixes = (tp_buf)TP_BUF_INIT;
    tp_buf_append(&c->object_prefixes, w->object_prefixes.data, w->object_prefixes.len);
    c->repr.object_prefixes = &c->object_prefixes;
    c->repr.object_prefixes_account = NULL;   /* a snapshot records nothing */
    c->repr.budget = NULL;
    bool ok = c->cwd && (!w->fallback_dir || c->fallback_dir) && (!w->label || c->label) &&
              !c->object_prefixes.failed &&
              copy_codes(&w->codes, &c->codes);
    for (const tp_thread *t = w->threads; ok && t; t = t->next) {
        tp_thread *ct = copy_thread(t);
        ok = ct != NULL;
        if (ct) {
            ct->next = c->threads;
            c->threads = ct;
        }
    }
    if (!ok) {
        tp_window_free(c);
        return NULL;
    }
    return c;
}

void tp_window_snapshot(tp_window *w, uint64_t now)
{
    w->next_snapshot_tick = now + w->snapshot_every_ticks;
    if (tp_writer_snapshots_running(w))
        return;
    tp_window *c = copy_window(w, tp_clock_now());
    if (!c) {
        tp_debug("snapshot skipped: out of memory");
        return;
    }
    tp_writer_submit_snapshot(c, w);
}

static int pending_close(void *arg)
{
    uint64_t gen = (uint64_t)(uintptr_t)arg;
    tp_window *w = tp_current_window;
    if (w && w->gen == gen)
        tp_window_close(w->close_reason ? w->close_reason : "max_calls");
    return 0;
}

void tp_window_request_close(tp_window *w, const char *reason)
{
    if (w->close_requested || w->closed)
        return;
    w->close_reason = reason;
    /* A full pending-call queue is retried at the next event; past 3.8's
     * start of finalization none is taken (the exit closes the window). */
    if (tp_pending_calls_open() && Py_AddPendingCall(pending_close, (void *)(uintptr_t)w->gen) == 0)
        w->close_requested = true;
}

void tp_window_forget_after_fork(void)
{
    /* The parent's window belongs to the parent; its memory is the
     * parent's copy, left alone here rather than freed while another
     * copy of it may still be in use by the writer of the parent. */
    if (tp_current_window)
        tp_events_stop_after_fork();
    tp_current_window = NULL;
    awaiting = NULL;
    tp_writer_forget_after_fork();
}
