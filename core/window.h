/* A trace window: everything recorded between open and close, and the
 * per-thread recording state. Owned by whoever holds the GIL until it is
 * closed; then owned by the writer thread, which frees it. */
#ifndef TP_WINDOW_H
#define TP_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "codemeta.h"
#include "compat/frame.h"
#include "config.h"
#include "repr.h"

#define TP_NONE UINT32_MAX

enum tp_node_flags {
    TP_NODE_RAISED = 1,     /* result is an exception text */
    TP_NODE_RETURNED = 2,   /* result is a return value repr */
    TP_NODE_ENDED = 4,      /* end is valid */
};

/* One recorded call: fixed size, texts live in the thread's text arena. */
typedef struct tp_node {
    uint64_t start, end;         /* ticks (clock.h) */
    uint64_t suspended;          /* ticks: generators/coroutines' time suspended */
    uint32_t code;               /* index in the window's code table */
    uint32_t parent;             /* index in the same thread's nodes, or TP_NONE */
    uint32_t args;               /* offset in text, or TP_NONE */
    uint32_t result;             /* offset in text, or TP_NONE */
    uint32_t resumes;
    uint32_t flags;              /* enum tp_node_flags */
    uint32_t task;               /* offset in text of the asyncio task name, or TP_NONE */
    uint32_t lines;              /* line mode: index in the thread's line calls, or TP_NONE */
} tp_node;

/* Line mode: one executed line of a chosen function. Its variables are
 * the changes that line made, known when the next line starts. */
typedef struct tp_line_step {
    uint64_t t;                  /* ticks (clock.h) */
    int32_t line;
    uint32_t first_var, n_vars;  /* in the thread's line_vars */
    uint16_t stmt;               /* on a multi-statement line: which statement
                                    (1-based, compat/stmt_starts.h); 0: the whole line */
} tp_line_step;

typedef struct tp_line_var {
    uint32_t shown;              /* text: "x: int = 5" or "y: int 5 -> 10" */
    uint32_t value;              /* text: the value alone, for the summary */
    uint16_t var;                /* local slot */
} tp_line_var;

typedef struct tp_line_call {
    tp_iframe frame;             /* the call's frame: valid while it is on the stack */
    uint32_t node;
    uint32_t code;               /* index in the window's code table */
    tp_line_step *steps;
    uint32_t n_steps, cap_steps;
    uint32_t dropped;            /* steps past line_max_steps */
    uint32_t *prev;              /* per local: text of its last value, TP_NONE: unbound */
    bool step_open;              /* the last step still waits for its variables */
    int32_t cur_line;            /* the line running now (also past line_max_steps) */
    uint16_t cur_stmt;           /* and its statement, as tp_line_step.stmt */
    bool step_fresh;             /* the last step was begun by a line or jump event on
                                    a compound line, and no instruction ran since */
} tp_line_call;

/* A frame on the thread's shadow stack. Ignored frames are never pushed. */
typedef struct tp_frame_slot {
    const void *key;             /* frame identity */
    uint32_t node;               /* TP_NONE: seen but not recorded (a limit) */
    uint32_t parent_top;         /* the thread's top_node before this frame */
    PyObject *seen_exc;          /* trace-function path: last exception in this frame */
    uint32_t lcall;              /* line mode: the call's line record, or TP_NONE */
} tp_frame_slot;

/* A suspended generator/coroutine, found again by its frame on resume. */
typedef struct tp_suspended {
    const void *key;
    uint32_t node;
    uint64_t since;              /* ticks (clock.h) */
} tp_suspended;

/* A greenlet's part of the shadow stack while another greenlet runs on
 * the thread (stack_switch.c). */
typedef struct tp_parked_stack {
    const void *key;             /* the greenlet */
    tp_frame_slot *stack;
    uint32_t depth, cap_stack, top_node;
    int32_t recorded_depth;
} tp_parked_stack;

typedef struct tp_thread {
    struct tp_thread *next;
    unsigned long ident;         /* threading.get_ident() */
    long native_id;              /* kernel tid */
    char *name;                  /* as threading names it, or NULL */
    tp_node *nodes;
    uint32_t n_nodes, cap_nodes;
    bool nodes_mapped;           /* nodes is a mapped.h block (a snapshot's copy is malloc'd) */
    tp_buf text;
    tp_frame_slot *stack;
    uint32_t depth, cap_stack;
    uint32_t top_node;           /* nearest recorded ancestor of the next call */
    /* Recorded frames on the stack (max_depth). Signed: a greenlet switch
     * our trace function missed (greenlet imported while the window was
     * open) leaves calls of one greenlet on another's stack, ending where
     * that one runs, which may count below zero. */
    int32_t recorded_depth;
    tp_parked_stack *parked;     /* other greenlets' stacks, unordered */
    uint32_t n_parked, cap_parked;
    tp_suspended *susp;          /* open addressing, power-of-two size */
    uint32_t n_susp, susp_mask;
    tp_line_call *lcalls;        /* line mode */
    uint32_t n_lcalls, cap_lcalls;
    tp_line_var *lvars;
    uint32_t n_lvars, cap_lvars;
} tp_thread;

typedef struct tp_window {
    uint64_t gen;                /* tells a thread's cached state apart from older windows' */
    const char *trigger;         /* "signal", "trigger_file", "startup" */
    const char *end_reason;
    const char *limit_reason;    /* first limit hit, or NULL */
    const char *close_reason;    /* a limit asked to close at the next safe point */
    tp_clock_pair start, end;    /* both clocks at opening and closing: the span that
                                    turns the window's ticks into nanoseconds */
    uint64_t deadline_tick;      /* max_seconds, in ticks */
    struct timespec start_wall;
    char *cwd;                   /* at opening; see cwd_unknown */
    bool cwd_unknown;            /* getcwd failed: cwd is what /proc says ("... (deleted)") */
    char *label;
    char *fallback_dir;          /* where the trace goes when cache_dir cannot take it
                                    (NULL: nowhere), worked out at opening; a relative
                                    one is taken from `cwd`, like cache_dir */
    pid_t pid;                   /* the process that opened it */
    tp_thread *threads;
    tp_code_table codes;
    uint64_t call_count, dropped;
    uint64_t line_events;        /* line-mode events our callbacks received (line,
                                    jump, opcode, instruction): stats.line_events */
    uint64_t running;            /* recorded calls on some stack right now */
    size_t memory;               /* bytes held by nodes, texts, stacks and object_prefixes */
    size_t memory_cap;
    bool draining;               /* a limit stopped recording; close once `running` is 0 */
    bool close_requested;        /* a pending call will close it */
    bool closed;                 /* no longer current; handed off once `busy` is 0 */
    struct tp_window *next_awaiting;   /* closed, still busy: the next such (window.c) */
    bool write_in_place;         /* closing at exit: the closer writes it, no thread */
    void (*before_write)(void);  /* in place: run as the write begins (SIGTERM: no grace) */
    void (*after_write)(void);   /* in place: run once the file is written (SIGTERM: die) */
    bool partial;                /* a snapshot of a window still open */
    uint64_t snapshot_every_ticks;   /* 0: no snapshots */
    uint64_t next_snapshot_tick;
    int snapshots_running;       /* snapshot writers of this window (writer.c's lock) */
    int *snapshot_of;            /* a snapshot: the live window's snapshots_running */
    uint32_t busy;               /* event callbacks inside this window right now */
    tp_repr_opts repr;
    tp_repr_budget repr_budget;  /* repr.budget points here in the live window */
    tp_buf object_prefixes;      /* the texts before the address of this window's deferred
                                    objects (deferred_value.h): appended with the GIL held
                                    while open, read by its writer once closed */
    const tp_config *cfg;
} tp_window;

/* What the trace says of a tick reading of window `w`, and of a tick
 * duration: nanoseconds, converted over the window's span (clock.h). A
 * snapshot's span ends when it was taken. */
static inline uint64_t tp_window_ns(const tp_window *w, uint64_t ticks)
{
    return tp_clock_ns_at(&w->start, &w->end, ticks);
}

static inline uint64_t tp_window_ns_of(const tp_window *w, uint64_t ticks)
{
    return tp_clock_ns_of(&w->start, &w->end, ticks);
}

#endif
