#include "header.h"
#include "header_tree.h"

#include <string.h>

void tp_header_init(tp_header *h)
{
    memset(h, 0, sizeof *h);
}

void tp_header_free(tp_header *h)
{
    tp_buf_free(&h->json);
    tp_header_tree_free(h->tree);
    tp_header_init(h);
}

bool tp_header_too_big(const tp_header *h)
{
    return h->json.len > TP_MAX_HEADER_BYTES || h->json.failed;
}

/* Writes the separator a new value needs inside the innermost container. */
static void before_value(tp_header *h)
{
    if (h->open_depth == 0)
        return;
    uint64_t bit = 1ull << (h->open_depth - 1);
    if (h->open_is_map & bit)
        return;   /* the key already wrote its separator */
    if (h->open_has_items & bit)
        tp_buf_putc(&h->json, ',');
    h->open_has_items |= bit;
}

bool tp_header_open(tp_header *h, bool is_map)
{
    if (h->open_depth >= TP_MAX_HEADER_NESTING)
        return false;
    before_value(h);
    tp_buf_putc(&h->json, is_map ? '{' : '[');
    uint64_t bit = 1ull << h->open_depth;
    h->open_is_map = is_map ? (h->open_is_map | bit) : (h->open_is_map & ~bit);
    h->open_has_items &= ~bit;
    h->open_depth++;
    return true;
}

void tp_header_close(tp_header *h)
{
    if (h->open_depth == 0)
        return;
    h->open_depth--;
    uint64_t bit = 1ull << h->open_depth;
    tp_buf_putc(&h->json, (h->open_is_map & bit) ? '}' : ']');
}

static void put_json_string(tp_buf *out, const unsigned char *text, size_t len)
{
    tp_buf_putc(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = text[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        tp_buf_append(out, text + run, i - run);
        if (c == '"' || c == '\\')
            tp_buf_printf(out, "\\%c", c);
        else
            tp_buf_printf(out, "\\u%04x", c);
        run = i + 1;
    }
    tp_buf_append(out, text + run, len - run);
    tp_buf_putc(out, '"');
}

void tp_header_key(tp_header *h, const unsigned char *key, size_t len)
{
    if (h->open_depth > 0) {
        uint64_t bit = 1ull << (h->open_depth - 1);
        if (h->open_has_items & bit)
            tp_buf_putc(&h->json, ',');
        h->open_has_items |= bit;
    }
    put_json_string(&h->json, key, len);
    tp_buf_putc(&h->json, ':');
}

void tp_header_string(tp_header *h, const unsigned char *text, size_t len)
{
    before_value(h);
    put_json_string(&h->json, text, len);
}

void tp_header_raw(tp_header *h, const char *text, size_t len)
{
    before_value(h);
    tp_buf_append(&h->json, text, len);
}

/* The type each known top-level key must have. */
static const struct known_key {
    const char *key;
    tp_json_type type;
} known_keys[] = {
    {"tracepatch_version", TP_JSON_STRING}, {"schema_version", TP_JSON_INTEGER},
    {"trace_id", TP_JSON_STRING}, {"timestamp", TP_JSON_STRING},
    {"label", TP_JSON_STRING}, {"pid", TP_JSON_INTEGER}, {"argv", TP_JSON_ARRAY},
    {"hostname", TP_JSON_STRING}, {"platform", TP_JSON_STRING},
    {"python_version", TP_JSON_STRING}, {"working_directory", TP_JSON_STRING},
    {"trigger", TP_JSON_STRING}, {"end_reason", TP_JSON_STRING},
    {"duration_ms", TP_JSON_NUMBER}, {"call_count", TP_JSON_INTEGER},
    {"was_limited", TP_JSON_BOOL}, {"limit_reason", TP_JSON_STRING},
    {"dropped_calls", TP_JSON_INTEGER}, {"config", TP_JSON_OBJECT},
    {"stats", TP_JSON_OBJECT}, {"threads", TP_JSON_ARRAY},
};

const char *tp_json_type_name(tp_json_type t)
{
    switch (t) {
    case TP_JSON_STRING: return "a string";
    case TP_JSON_INTEGER: return "an integer";
    case TP_JSON_NUMBER: return "a number";
    case TP_JSON_BOOL: return "a boolean";
    case TP_JSON_NULL: return "null";
    case TP_JSON_OBJECT: return "an object";
    case TP_JSON_ARRAY: return "an array";
    }
    return "a value";
}

const char *tp_header_type_problem(const char *key, size_t key_len, tp_json_type got)
{
    if (got == TP_JSON_NULL)
        return NULL;
    for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++) {
        const struct known_key *k = &known_keys[i];
        if (strlen(k->key) != key_len || memcmp(k->key, key, key_len) != 0)
            continue;
        if (k->type == got || (k->type == TP_JSON_NUMBER && got == TP_JSON_INTEGER))
            return NULL;
        return tp_json_type_name(k->type);
    }
    return NULL;
}

bool tp_header_finish(tp_header *h)
{
    while (h->open_depth > 0)
        tp_header_close(h);
    h->out_of_memory = h->json.failed;
    if (tp_header_too_big(h))
        return false;
    if (h->tree)
        return true;
    tp_tree_status st = h->json.len ? tp_header_tree_parse(h->json.data, h->json.len, &h->tree)
                                    : tp_header_tree_parse("{}", 2, &h->tree);
    h->out_of_memory = st == TP_TREE_OUT_OF_MEMORY;
    return st == TP_TREE_OK;
}

yajl_val tp_header_get(const tp_header *h, const char *key)
{
    if (!h->tree || !YAJL_IS_OBJECT(h->tree))
        return NULL;
    /* A key repeated in the file: the last one wins, as in Python's json. */
    yajl_val found = NULL;
    for (size_t i = 0; i < h->tree->u.object.len; i++)
        if (strcmp(h->tree->u.object.keys[i], key) == 0)
            found = h->tree->u.object.values[i];
    return found;
}

const char *tp_header_str(const tp_header *h, const char *key)
{
    yajl_val v = tp_header_get(h, key);
    return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

bool tp_header_int(const tp_header *h, const char *key, int64_t *out)
{
    yajl_val v = tp_header_get(h, key);
    if (!YAJL_IS_INTEGER(v))
        return false;
    *out = v->u.number.i;
    return true;
}

bool tp_header_num(const tp_header *h, const char *key, double *out)
{
    yajl_val v = tp_header_get(h, key);
    if (!YAJL_IS_NUMBER(v) || !(v->u.number.flags & YAJL_NUMBER_DOUBLE_VALID))
        return false;
    *out = v->u.number.d;
    return true;
}

bool tp_header_bool(const tp_header *h, const char *key, bool *out)
{
    yajl_val v = tp_header_get(h, key);
    if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
        return false;
    *out = YAJL_IS_TRUE(v);
    return true;
}

bool tp_header_thread_entry_ref(yajl_val entry, tp_thread_ref *out)
{
    const char *id_path[] = {"id", NULL};
    const char *native_path[] = {"native_id", NULL};
    yajl_val id = YAJL_IS_OBJECT(entry) ? yajl_tree_get(entry, id_path, yajl_t_number) : NULL;
    if (!id || !YAJL_IS_INTEGER(id))
        return false;
    yajl_val native = yajl_tree_get(entry, native_path, yajl_t_number);
    bool has_native = native && YAJL_IS_INTEGER(native);
    *out = (tp_thread_ref){YAJL_GET_INTEGER(id), has_native ? YAJL_GET_INTEGER(native) : 0,
                           true, has_native};
    return true;
}

/* Does the `threads` entry `t` describe `thread`? With a kernel tid, both
 * must agree (idents are reused); without, the ident decides. */
static bool thread_entry_is(yajl_val t, tp_thread_ref thread)
{
    tp_thread_ref entry;
    return thread.has_ident && tp_header_thread_entry_ref(t, &entry) &&
           entry.ident == thread.ident &&
           (!thread.has_native || (entry.has_native && entry.native == thread.native));
}

yajl_val tp_header_thread(const tp_header *h, tp_thread_ref thread)
{
    yajl_val threads = tp_header_get(h, "threads");
    if (!YAJL_IS_ARRAY(threads))
        return NULL;
    for (size_t i = 0; i < threads->u.array.len; i++)
        if (thread_entry_is(threads->u.array.values[i], thread))
            return threads->u.array.values[i];
    return NULL;
}

const char *tp_header_thread_name(const tp_header *h, tp_thread_ref thread)
{
    const char *name_path[] = {"name", NULL};
    yajl_val t = tp_header_thread(h, thread);
    yajl_val name = t ? yajl_tree_get(t, name_path, yajl_t_string) : NULL;
    return name ? name->u.string : NULL;
}
