#include "reader.h"
#include "field.h"
#include "json_number.h"
#include "out_of_memory.h"
#include "string_guard.h"
#include "yajl_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

/* JSON nesting allowed: two levels per call (object + children array), plus
 * room for the header's own nesting. */
#define MAX_JSON_DEPTH (2 * TP_MAX_NODE_DEPTH + TP_MAX_HEADER_NESTING + 8)
#define CHUNK_BYTES (256u << 10)

enum container { C_TOP, C_HEADER, C_TRACE, C_NODE, C_CHILDREN, C_SKIP, C_VALUE };

/* The keys a node may have; text keys come first so they index `texts`. */
enum node_key {
    K_NAME, K_QUALNAME, K_MODULE, K_FILE, K_KIND, K_ARGS, K_RETURN, K_EXCEPTION,
    K_TEXT_COUNT,
    K_LINENO = K_TEXT_COUNT, K_THREAD, K_NATIVE_THREAD, K_RESUMES,
    K_START, K_END, K_ELAPSED, K_SUSPENDED, K_UNFINISHED, K_CHILDREN,
    K_UNKNOWN, K_NONE,
    K_VALUE   /* tp_reader_value's key: streamed to its token callback */
};

_Static_assert(TP_TEXT_FILE == 1 << K_FILE && TP_TEXT_KIND == 1 << K_KIND
               && TP_TEXT_EXCEPTION == 1 << K_EXCEPTION, "TP_TEXT_* bits follow enum node_key");

static const char *const node_key_names[] = {
    "name", "qualname", "module", "file", "kind", "args", "return_value", "exception",
    "lineno", "thread", "native_thread_id", "resumes", "start", "end", "elapsed_ms", "suspended_ms",
    "unfinished", "children",
};

/* The numbers kept for each open node: what node_end needs. */
struct frame {
    uint64_t index;
    tp_thread_ref thread;
    double start, end, elapsed;
    bool has_start, has_end, has_elapsed;
    bool unfinished, delivered;
};

struct reader {
    const char *name;
    const tp_reader_callbacks *cb;
    const tp_reader_value *value; /* NULL: unknown node keys are skipped */
    tp_header *header;
    unsigned char *containers;   /* kind of each open JSON container */
    size_t depth, containers_cap;
    struct frame *frames;        /* one per open node */
    size_t nframes, frames_cap;
    enum node_key pending;       /* node key awaiting its value */
    unsigned value_level;        /* open containers inside the wanted value */
    bool top_key_pending, top_key_is_trace, seen_schema, stopped;
    char top_key[64];
    size_t top_key_len;
    tp_buf text_arena;           /* the node's text fields, each NUL-terminated */
    size_t text_at[K_TEXT_COUNT];/* where each one starts in text_arena */
    bool has_text[K_TEXT_COUNT];
    tp_buf escaped;              /* scratch for a field that needs escaping */
    tp_node node;
    uint64_t next_index;
    tp_buf problem;              /* why a callback cancelled the parse */
    tp_string_guard guard;
    yajl_handle handle;
    uintptr_t chunk, chunk_end;  /* the chunk yajl is parsing */
    uint64_t chunk_base;         /* its offset in the file */
    size_t strings_done;         /* chunk offset past the last string token */
    bool in_place;               /* the last string lies in the chunk as written */
    unsigned skip_texts;         /* text fields not kept (TP_TEXT_* bits) */
};

_Static_assert(CHUNK_BYTES < TP_MAX_STRING_BYTES, "the string guard checks once per chunk");

/* Records why the parse stops; returns 0 so callbacks can `return fail(...)`. */
__attribute__((format(printf, 2, 3)))
static int fail(struct reader *r, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    tp_buf_reset(&r->problem);
    tp_buf_puts(&r->problem, text);
    return 0;
}

static bool push(struct reader *r, enum container c)
{
    if (r->depth >= MAX_JSON_DEPTH)
        return false;
    if (r->depth == r->containers_cap) {
        size_t cap = r->containers_cap ? r->containers_cap * 2 : 64;
        unsigned char *p = realloc(r->containers, cap);
        if (!p)
            return fail(r, "out of memory");
        r->containers = p;
        r->containers_cap = cap;
    }
    r->containers[r->depth++] = (unsigned char)c;
    return true;
}

static enum container top(const struct reader *r)
{
    return (enum container)r->containers[r->depth - 1];
}

/* `key` is `name` (a string literal, so the compiler inlines the compare). */
#define KEY_IS(key, name) (memcmp((key), (name), sizeof(name) - 1) == 0)

/* Length and first byte pick the one candidate; one compare confirms it.
 * This runs for every key of every call. */
static enum node_key lookup_node_key(const unsigned char *key, size_t len)
{
    switch (len) {
    case 3: return KEY_IS(key, "end") ? K_END : K_UNKNOWN;
    case 4:
        return KEY_IS(key, "name") ? K_NAME : KEY_IS(key, "file") ? K_FILE
             : KEY_IS(key, "kind") ? K_KIND : KEY_IS(key, "args") ? K_ARGS : K_UNKNOWN;
    case 5: return KEY_IS(key, "start") ? K_START : K_UNKNOWN;
    case 6:
        return KEY_IS(key, "module") ? K_MODULE : KEY_IS(key, "lineno") ? K_LINENO
             : KEY_IS(key, "thread") ? K_THREAD : K_UNKNOWN;
    case 7: return KEY_IS(key, "resumes") ? K_RESUMES : K_UNKNOWN;
    case 8:
        return KEY_IS(key, "qualname") ? K_QUALNAME : KEY_IS(key, "children") ? K_CHILDREN
             : K_UNKNOWN;
    case 9: return KEY_IS(key, "exception") ? K_EXCEPTION : K_UNKNOWN;
    case 10:
        return KEY_IS(key, "elapsed_ms") ? K_ELAPSED : KEY_IS(key, "unfinished") ? K_UNFINISHED
             : K_UNKNOWN;
    case 12:
        return KEY_IS(key, "return_value") ? K_RETURN : KEY_IS(key, "suspended_ms") ? K_SUSPENDED
             : K_UNKNOWN;
    case 16: return KEY_IS(key, "native_thread_id") ? K_NATIVE_THREAD : K_UNKNOWN;
    default: return K_UNKNOWN;
    }
}

/* ---- the caller's value_key ---- */

static bool wants_value(const struct reader *r, const unsigned char *key, size_t len)
{
    const char *want = r->value ? r->value->key : NULL;
    return want && r->value->token && strlen(want) == len && memcmp(want, key, len) == 0;
}

/* Hands one event of the value to the caller; 0 when it refuses it. */
static int forward(struct reader *r, tp_value_event event, tp_json_type type, const char *text,
                   size_t len, bool bool_value)
{
    tp_value_token t = {
        .event = event, .type = type, .text = text, .len = len, .bool_value = bool_value,
        .level = r->value_level, .node_index = r->frames[r->nframes - 1].index,
    };
    const char *problem = r->value->token(&t, r->cb ? r->cb->ctx : NULL);
    return problem ? fail(r, "call key \"%s\": %s", r->value->key, problem) : 1;
}

static int open_value(struct reader *r, bool is_map)
{
    if (!forward(r, is_map ? TP_VALUE_OPEN_MAP : TP_VALUE_OPEN_ARRAY, TP_JSON_NULL, NULL, 0,
                 false))
        return 0;
    r->value_level++;
    return push(r, C_VALUE);
}

/* ---- nodes ---- */

static int begin_node(struct reader *r)
{
    if (r->nframes >= TP_MAX_NODE_DEPTH)
        return fail(r, "calls nested deeper than %d levels", TP_MAX_NODE_DEPTH);
    if (r->nframes == r->frames_cap) {
        size_t cap = r->frames_cap ? r->frames_cap * 2 : 64;
        struct frame *p = realloc(r->frames, cap * sizeof *p);
        if (!p)
            return fail(r, "out of memory");
        r->frames = p;
        r->frames_cap = cap;
    }
    struct frame *f = &r->frames[r->nframes];
    memset(f, 0, sizeof *f);
    f->index = r->next_index++;
    if (r->nframes > 0) {
        f->thread = r->frames[r->nframes - 1].thread;
    }
    r->nframes++;
    memset(r->has_text, 0, sizeof r->has_text);
    tp_buf_reset(&r->text_arena);
    memset(&r->node, 0, sizeof r->node);
    r->pending = K_NONE;
    return push(r, C_NODE) ? 1 : fail(r, "JSON nested too deeply");
}

static void deliver_node(struct reader *r)
{
    struct frame *f = &r->frames[r->nframes - 1];
    tp_node *n = &r->node;
    const char **slots[K_TEXT_COUNT] = {
        &n->name, &n->qualname, &n->module, &n->file, &n->kind,
        &n->args, &n->return_value, &n->exception,
    };
    for (int k = 0; k < K_TEXT_COUNT; k++)
        *slots[k] = r->has_text[k] && !r->text_arena.failed
                    ? r->text_arena.data + r->text_at[k] : NULL;
    n->index = f->index;
    n->depth = (unsigned)(r->nframes - 1);
    n->thread = f->thread.ident;
    n->has_thread = f->thread.has_ident;
    n->native_thread = f->thread.native;
    n->has_native_thread = f->thread.has_native;
    n->start = f->start;
    n->has_start = f->has_start;
    n->end = f->end;
    n->has_end = f->has_end;
    n->elapsed_ms = f->elapsed;
    n->has_elapsed = f->has_elapsed;
    n->unfinished = f->unfinished;
    f->delivered = true;
    r->header->node_count++;
    if (r->cb && r->cb->node_begin)
        r->cb->node_begin(n, r->cb->ctx);
}

static void end_node(struct reader *r)
{
    struct frame *f = &r->frames[r->nframes - 1];
    if (!f->delivered)
        deliver_node(r);
    tp_node_end e = {
        .index = f->index,
        .depth = (unsigned)(r->nframes - 1),
        .descendants = r->next_index - f->index - 1,
        .thread = f->thread.ident,
        .has_thread = f->thread.has_ident,
        .native_thread = f->thread.native,
        .has_native_thread = f->thread.has_native,
        .unfinished = f->unfinished,
    };
    if (f->has_elapsed) {
        e.elapsed_ms = f->elapsed;
        e.has_elapsed = true;
    } else if (f->has_start && f->has_end) {
        e.elapsed_ms = (f->end - f->start) * 1000.0;
        e.has_elapsed = true;
    }
    r->nframes--;
    if (r->cb && r->cb->node_end)
        r->cb->node_end(&e, r->cb->ctx);
}

static int node_type_error(struct reader *r, tp_json_type got)
{
    enum node_key k = r->pending;
    const char *want = k < K_TEXT_COUNT ? "a string"
                     : k <= K_RESUMES ? "an integer"
                     : k <= K_SUSPENDED ? "a number"
                     : k == K_UNFINISHED ? "a boolean" : "an array";
    tp_buf_reset(&r->problem);
    tp_buf_printf(&r->problem, "call key \"%s\": expected %s, got %s",
                  node_key_names[k], want, tp_json_type_name(got));
    return 0;
}

static tp_json_type number_type(const char *text, size_t len)
{
    return tp_json_is_integer(text, len) ? TP_JSON_INTEGER : TP_JSON_NUMBER;
}

/* A number for a node key; its type (integer or not) is only worked out
 * for an error message. */
static int node_number(struct reader *r, const char *text, size_t len)
{
    struct frame *f = &r->frames[r->nframes - 1];
    enum node_key k = r->pending;
    int64_t i;
    double d;
    if (k == K_UNKNOWN)
        return 1;
    if (k >= K_LINENO && k <= K_RESUMES) {
        if (!tp_json_int(text, len, &i))
            return node_type_error(r, number_type(text, len));
        if (k == K_LINENO) { r->node.lineno = i; r->node.has_lineno = true; }
        if (k == K_RESUMES) { r->node.resumes = i; r->node.has_resumes = true; }
        if (k == K_THREAD) { f->thread.ident = i; f->thread.has_ident = true; }
        if (k == K_NATIVE_THREAD) { f->thread.native = i; f->thread.has_native = true; }
        return 1;
    }
    if (k < K_START || k > K_SUSPENDED || !tp_json_double(text, len, &d))
        return node_type_error(r, number_type(text, len));
    switch (k) {
    case K_START: f->start = d; f->has_start = true; break;
    case K_END: f->end = d; f->has_end = true; break;
    case K_ELAPSED: f->elapsed = d; f->has_elapsed = true; break;
    default: r->node.suspended_ms = d; r->node.has_suspended = true; break;
    }
    return 1;
}

/* Whether a field needs tp_field_set's cutting or escaping. A string yajl
 * hands over in place has no escapes, and yajl refuses raw bytes below
 * 0x20 in strings, so only DEL is looked for there. The loops have no early
 * exit so that the compiler can run them on whole vectors. */
static bool needs_care(const unsigned char *s, size_t len, bool in_place)
{
    if (len > TP_FIELD_LIMIT)
        return true;
    unsigned bad = 0;
    if (in_place)
        for (size_t i = 0; i < len; i++)
            bad |= s[i] == 0x7F;
    else
        for (size_t i = 0; i < len; i++)
            bad |= (s[i] < 0x20) | (s[i] == 0x7F);
    return bad != 0;
}

/* Appends a text field to the node's arena (a repeated key wins). */
static void set_text(struct reader *r, enum node_key k, const unsigned char *s, size_t len)
{
    if (needs_care(s, len, r->in_place)) {
        tp_field_set(&r->escaped, s, len, TP_FIELD_LIMIT);
        s = (const unsigned char *)tp_buf_cstr(&r->escaped);
        len = r->escaped.len;
    }
    tp_buf *arena = &r->text_arena;
    if (arena->len + len + 1 > arena->cap && !tp_buf_reserve(arena, len + 1))
        return;
    r->text_at[k] = arena->len;
    memcpy(arena->data + arena->len, s, len);
    arena->len += len + 1;
    arena->data[arena->len - 1] = '\0';
    r->has_text[k] = true;
}

static int node_string(struct reader *r, const unsigned char *s, size_t len)
{
    enum node_key k = r->pending;
    if (k == K_UNKNOWN)
        return 1;
    if (k >= K_TEXT_COUNT)
        return node_type_error(r, TP_JSON_STRING);
    if (r->frames[r->nframes - 1].delivered)
        return 1;   /* after `children`: too late for the pre-order callback */
    if (r->skip_texts & (1u << k))
        return 1;
    set_text(r, k, s, len);
    return 1;
}

static int node_literal(struct reader *r, tp_json_type type, bool value)
{
    enum node_key k = r->pending;
    if (k == K_UNKNOWN)
        return 1;
    if (type == TP_JSON_NULL) {
        if (k < K_TEXT_COUNT && !r->frames[r->nframes - 1].delivered)
            r->has_text[k] = false;
        return 1;
    }
    if (k != K_UNFINISHED)
        return node_type_error(r, type);
    r->frames[r->nframes - 1].unfinished = value;
    return 1;
}

/* ---- dispatch of scalar values by container ---- */

static int top_value_check(struct reader *r, tp_json_type type)
{
    if (!r->top_key_pending)
        return fail(r, "expected a JSON object at the top level");
    if (r->top_key_is_trace) {
        if (type == TP_JSON_ARRAY || type == TP_JSON_NULL)
            return 1;
        return fail(r, "key \"trace\": expected an array, got %s",
                    tp_json_type_name(type));
    }
    const char *want = tp_header_type_problem(r->top_key, r->top_key_len, type);
    if (!want)
        return 1;
    tp_buf_reset(&r->problem);
    tp_buf_printf(&r->problem, "key \"%.*s\": expected %s, got %s", (int)r->top_key_len,
                  r->top_key, want, tp_json_type_name(type));
    return 0;
}

/* Routes one scalar; `text` is its JSON text for the header capture. */
static int on_scalar(struct reader *r, tp_json_type type, const char *text, size_t len,
                     bool bool_value)
{
    if (r->depth == 0)
        return fail(r, "expected a JSON object at the top level");
    switch (top(r)) {
    case C_TOP:
        if (!top_value_check(r, type))
            return 0;
        r->top_key_pending = false;
        if (!r->top_key_is_trace) {
            if (type == TP_JSON_STRING)
                tp_header_string(r->header, (const unsigned char *)text, len);
            else
                tp_header_raw(r->header, text, len);
        }
        return 1;
    case C_HEADER:
        if (type == TP_JSON_STRING)
            tp_header_string(r->header, (const unsigned char *)text, len);
        else
            tp_header_raw(r->header, text, len);
        if (!tp_header_too_big(r->header))
            return 1;
        return r->header->json.failed ? fail(r, "out of memory")
                                      : fail(r, "header larger than %u bytes", TP_MAX_HEADER_BYTES);
    case C_TRACE:
    case C_CHILDREN:
        return fail(r, "trace entry: expected a call object, got %s",
                    tp_json_type_name(type));
    case C_NODE: {
        int ok;
        if (r->pending == K_VALUE)
            ok = forward(r, TP_VALUE_SCALAR, type, text, len, bool_value);
        else if (type == TP_JSON_STRING)
            ok = node_string(r, (const unsigned char *)text, len);
        else if (type == TP_JSON_INTEGER || type == TP_JSON_NUMBER)
            ok = node_number(r, text, len);
        else
            ok = node_literal(r, type, bool_value);
        r->pending = K_NONE;
        return ok;
    }
    case C_SKIP:
        return 1;
    case C_VALUE:
        return forward(r, TP_VALUE_SCALAR, type, text, len, bool_value);
    }
    return 1;
}

static int cb_null(void *ctx) { return on_scalar(ctx, TP_JSON_NULL, "null", 4, false); }

static int cb_boolean(void *ctx, int v)
{
    return on_scalar(ctx, TP_JSON_BOOL, v ? "true" : "false", v ? 4 : 5, v != 0);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    struct reader *r = ctx;
    if (r->depth > 0 && top(r) == C_NODE && r->pending != K_VALUE) {
        int ok = node_number(r, s, len);   /* every call has a few numbers */
        r->pending = K_NONE;
        return ok;
    }
    return on_scalar(r, number_type(s, len), s, len, false);
}

/* Tells the string guard where the last string token yajl completed ends.
 * A string without escapes that lies in the chunk is handed over in place;
 * any other (decoded, or buffered across chunks) is asked of yajl. */
static void note_string(struct reader *r, const unsigned char *s, size_t len)
{
    uintptr_t p = (uintptr_t)s;
    r->in_place = p >= r->chunk && p + len < r->chunk_end;
    if (r->in_place)
        r->strings_done = (size_t)(p - r->chunk) + len + 1;
    else
        r->strings_done = yajl_get_bytes_consumed(r->handle);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    note_string(ctx, s, len);
    return on_scalar(ctx, TP_JSON_STRING, (const char *)s, len, false);
}

/* ---- containers ---- */

static int open_in_top(struct reader *r, bool is_map)
{
    tp_json_type type = is_map ? TP_JSON_OBJECT : TP_JSON_ARRAY;
    if (!top_value_check(r, type))
        return 0;
    r->top_key_pending = false;
    if (r->top_key_is_trace) {
        r->header->has_trace = true;
        if (r->cb && r->cb->header_only && r->seen_schema) {
            r->stopped = true;
            return 0;
        }
        return push(r, C_TRACE);
    }
    if (!tp_header_open(r->header, is_map))
        return fail(r, "header nested deeper than %d levels", TP_MAX_HEADER_NESTING);
    return push(r, C_HEADER);
}

static int open_in_node(struct reader *r, bool is_map)
{
    enum node_key k = r->pending;
    r->pending = K_NONE;
    if (k == K_UNKNOWN)
        return push(r, C_SKIP);
    if (k == K_VALUE)
        return open_value(r, is_map);
    if (k == K_CHILDREN && !is_map) {
        if (!r->frames[r->nframes - 1].delivered)
            deliver_node(r);
        return push(r, C_CHILDREN);
    }
    r->pending = k;
    return node_type_error(r, is_map ? TP_JSON_OBJECT : TP_JSON_ARRAY);
}

static int on_open(struct reader *r, bool is_map)
{
    int ok;
    if (r->depth == 0) {
        if (!is_map)
            return fail(r, "expected a JSON object at the top level");
        ok = tp_header_open(r->header, true) && push(r, C_TOP);
    } else {
        switch (top(r)) {
        case C_TOP: ok = open_in_top(r, is_map); break;
        case C_HEADER:
            ok = tp_header_open(r->header, is_map) ? push(r, C_HEADER)
                 : fail(r, "header nested deeper than %d levels", TP_MAX_HEADER_NESTING);
            break;
        case C_TRACE:
        case C_CHILDREN:
            ok = is_map ? begin_node(r)
                 : fail(r, "trace entry: expected a call object, got an array");
            break;
        case C_NODE: ok = open_in_node(r, is_map); break;
        case C_VALUE: ok = open_value(r, is_map); break;
        default: ok = push(r, C_SKIP); break;
        }
    }
    if (!ok && r->problem.len == 0 && !r->stopped)
        fail(r, "JSON nested deeper than %d levels", MAX_JSON_DEPTH);
    return ok;
}

static int cb_start_map(void *ctx) { return on_open(ctx, true); }
static int cb_start_array(void *ctx) { return on_open(ctx, false); }

static int on_close(struct reader *r)
{
    enum container c = top(r);
    r->depth--;
    if (c == C_VALUE) {
        r->value_level--;
        return forward(r, TP_VALUE_CLOSE, TP_JSON_NULL, NULL, 0, false);
    }
    if (c == C_HEADER || c == C_TOP)
        tp_header_close(r->header);
    else if (c == C_NODE)
        end_node(r);
    return 1;
}

static int cb_end(void *ctx) { return on_close(ctx); }

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
    struct reader *r = ctx;
    note_string(r, key, len);
    switch (top(r)) {
    case C_TOP:
        r->top_key_pending = true;
        r->top_key_is_trace = len == 5 && memcmp(key, "trace", 5) == 0;
        r->top_key_len = len < sizeof r->top_key ? len : sizeof r->top_key;
        memcpy(r->top_key, key, r->top_key_len);
        if (len == 14 && memcmp(key, "schema_version", 14) == 0)
            r->seen_schema = true;
        if (!r->top_key_is_trace)
            tp_header_key(r->header, key, len);
        return 1;
    case C_HEADER:
        tp_header_key(r->header, key, len);
        return 1;
    case C_NODE:
        r->pending = lookup_node_key(key, len);
        if (r->pending == K_UNKNOWN && wants_value(r, key, len))
            r->pending = K_VALUE;
        return 1;
    case C_VALUE:
        return forward(r, TP_VALUE_KEY, TP_JSON_STRING, (const char *)key, len, false);
    default:
        return 1;
    }
}

static const yajl_callbacks parser_callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_boolean,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

/* ---- feeding ---- */

static void describe_yajl_error(struct reader *r, yajl_handle h, tp_buf *what)
{
    if (r->problem.len > 0) {
        tp_buf_puts(what, tp_buf_cstr(&r->problem));
        return;
    }
    unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
    const char *text = msg ? (const char *)msg : "invalid JSON";
    const char *colon = strstr(text, "error: ");
    if (colon)
        text = colon + 7;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '.' || text[n - 1] == ' '))
        n--;
    if (n == 13 && memcmp(text, "premature EOF", 13) == 0)
        tp_buf_puts(what, "unexpected end of file (truncated trace?)");
    else
        tp_buf_printf(what, "invalid JSON: %.*s", (int)n, text);
    if (msg)
        yajl_free_error(h, msg);
}

struct source {
    int fd;                       /* -1 for a memory source */
    const unsigned char *data;
    size_t len, pos;
    unsigned char *buf;           /* CHUNK_BYTES, for a file */
};

/* The next chunk of the source in *out: its length, 0 at the end, -1 on a
 * read error. A memory source is handed over in place. */
static ssize_t source_next(struct source *s, const unsigned char **out)
{
    if (s->fd < 0) {
        size_t n = s->len - s->pos < CHUNK_BYTES ? s->len - s->pos : CHUNK_BYTES;
        *out = s->data + s->pos;
        s->pos += n;
        return (ssize_t)n;
    }
    ssize_t n;
    do
        n = read(s->fd, s->buf, CHUNK_BYTES);
    while (n < 0 && errno == EINTR);
    *out = s->buf;
    return n;
}

static void reader_free(struct reader *r)
{
    free(r->containers);
    free(r->frames);
    tp_buf_free(&r->text_arena);
    tp_buf_free(&r->escaped);
    tp_buf_free(&r->problem);
}

/* Feeds the whole source through yajl; 0 or -1 with `what` and `*at` set. */
static int pump(struct reader *r, yajl_handle h, struct source *src, tp_buf *what, uint64_t *at)
{
    uint64_t base = 0;
    for (;;) {
        const unsigned char *chunk;
        ssize_t n = source_next(src, &chunk);
        if (n < 0) {
            tp_buf_printf(what, "read failed: %s", strerror(errno));
            *at = base;
            return -1;
        }
        if (n == 0)
            break;
        size_t done, stop, ok_len = (size_t)n;
        bool fits = tp_string_guard_enter(&r->guard, chunk, (size_t)n, &done, &stop);
        if (!fits)
            ok_len = stop;
        r->chunk = (uintptr_t)chunk;
        r->chunk_end = r->chunk + ok_len;
        r->chunk_base = base;
        r->strings_done = 0;
        yajl_status st = yajl_parse(h, chunk, ok_len);
        if (st == yajl_status_ok && !fits) {
            tp_buf_puts(what, "string longer than 16 MiB");
            *at = base + ok_len;
            return -1;
        }
        if (st != yajl_status_ok) {
            *at = base + yajl_get_bytes_consumed(h);
            if (r->stopped)
                return 0;
            describe_yajl_error(r, h, what);
            return -1;
        }
        done = done > r->strings_done ? done : r->strings_done;
        tp_string_guard_leave(&r->guard, chunk, (size_t)n, done);
        base += (uint64_t)n;
    }
    *at = base;
    if (base == 0) {
        tp_buf_puts(what, "empty file, expected a JSON trace");
        return -1;
    }
    if (yajl_complete_parse(h) != yajl_status_ok) {
        describe_yajl_error(r, h, what);
        return -1;
    }
    if (!r->header->has_trace) {
        tp_buf_puts(what, "not a tracepatch trace: no \"trace\" key");
        return -1;
    }
    return 0;
}

static int read_source(const char *name, struct source *src, const tp_reader_callbacks *cb,
                       const tp_reader_value *value, unsigned skip_texts, tp_header *header,
                       tp_buf *error)
{
    struct reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.cb = cb;
    r.value = value;
    r.header = header;
    r.pending = K_NONE;
    r.skip_texts = skip_texts;
    tp_string_guard_init(&r.guard, TP_MAX_STRING_BYTES);
    tp_oom_set_file(name);
    tp_yajl_memory memory;
    tp_yajl_memory_init(&memory, &r.chunk_base);
    yajl_handle h = yajl_alloc(&parser_callbacks, &memory.funcs, &r);
    r.handle = h;
    if (!h) {
        tp_buf_printf(error, "%s: out of memory at byte 0", name);
        return -1;
    }
    tp_buf what = TP_BUF_INIT;
    uint64_t at = 0;
    int rc = pump(&r, h, src, &what, &at);
    if (rc == 0 && !tp_header_finish(header)) {
        tp_buf_puts(&what, header->out_of_memory ? "out of memory" : "header could not be read");
        rc = -1;
    }
    if (rc != 0)
        tp_buf_printf(error, "%s: %s at byte %llu", name, tp_buf_cstr(&what),
                      (unsigned long long)at);
    tp_buf_free(&what);
    yajl_free(h);
    reader_free(&r);
    return rc;
}

int tp_read_trace_value_memory(const char *name, const unsigned char *data, size_t len,
                               const tp_reader_callbacks *callbacks,
                               const tp_reader_value *value, tp_header *header,
                               tp_buf *error)
{
    struct source src = {.fd = -1, .data = data, .len = len};
    return read_source(name, &src, callbacks, value, 0, header, error);
}

int tp_read_trace_memory(const char *name, const unsigned char *data, size_t len,
                         const tp_reader_callbacks *callbacks, tp_header *header,
                         tp_buf *error)
{
    return tp_read_trace_value_memory(name, data, len, callbacks, NULL, header, error);
}

static int read_file(const char *path, const tp_reader_callbacks *callbacks,
                     const tp_reader_value *value, unsigned skip_texts, tp_header *header,
                     tp_buf *error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tp_buf_printf(error, "%s: cannot open: %s at byte 0", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        tp_buf_printf(error, "%s: is a directory, not a trace file at byte 0", path);
        close(fd);
        return -1;
    }
    struct source src = {.fd = fd, .buf = malloc(CHUNK_BYTES)};
    int rc = -1;
    if (src.buf)
        rc = read_source(path, &src, callbacks, value, skip_texts, header, error);
    else
        tp_buf_printf(error, "%s: out of memory at byte 0", path);
    free(src.buf);
    close(fd);
    return rc;
}

int tp_read_trace_value(const char *path, const tp_reader_callbacks *callbacks,
                        const tp_reader_value *value, tp_header *header, tp_buf *error)
{
    return read_file(path, callbacks, value, 0, header, error);
}

int tp_read_trace_skip(const char *path, const tp_reader_callbacks *callbacks,
                       unsigned skip_texts, tp_header *header, tp_buf *error)
{
    return read_file(path, callbacks, NULL, skip_texts, header, error);
}

int tp_read_trace(const char *path, const tp_reader_callbacks *callbacks, tp_header *header,
                  tp_buf *error)
{
    return read_file(path, callbacks, NULL, 0, header, error);
}
