#include "header_tree.h"
#include "header.h"
#include "yajl_memory.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Deeper than any header the reader captures (TP_MAX_HEADER_NESTING). */
#define MAX_OPEN (TP_MAX_HEADER_NESTING + 2)

struct builder {
    yajl_val root;
    yajl_val open[MAX_OPEN];     /* the containers being filled */
    size_t depth;
    char *key;                   /* an object's key awaiting its value */
    bool out_of_memory;
};

void tp_header_tree_free(yajl_val v)
{
    if (!v)
        return;
    if (v->type == yajl_t_string) {
        free(v->u.string);
    } else if (v->type == yajl_t_number) {
        free(v->u.number.r);
    } else if (v->type == yajl_t_object) {
        for (size_t i = 0; i < v->u.object.len; i++) {
            free((char *)v->u.object.keys[i]);
            tp_header_tree_free(v->u.object.values[i]);
        }
        free(v->u.object.keys);
        free(v->u.object.values);
    } else if (v->type == yajl_t_array) {
        for (size_t i = 0; i < v->u.array.len; i++)
            tp_header_tree_free(v->u.array.values[i]);
        free(v->u.array.values);
    }
    free(v);
}

static char *copy_text(const unsigned char *text, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, text, len);
        s[len] = '\0';
    }
    return s;
}

/* Room for one more item in `parent`; arrays grow by doubling (a length
 * that is a power of two is full). */
static bool make_room(yajl_val parent)
{
    size_t len = parent->type == yajl_t_object ? parent->u.object.len : parent->u.array.len;
    if (len != 0 && (len & (len - 1)) != 0)
        return true;
    size_t cap = len ? len * 2 : 1;
    if (parent->type == yajl_t_array) {
        yajl_val *values = realloc(parent->u.array.values, cap * sizeof *values);
        if (values)
            parent->u.array.values = values;
        return values != NULL;
    }
    yajl_val *values = realloc(parent->u.object.values, cap * sizeof *values);
    if (values)
        parent->u.object.values = values;
    const char **keys = values ? realloc(parent->u.object.keys, cap * sizeof *keys) : NULL;
    if (keys)
        parent->u.object.keys = keys;
    return keys != NULL;
}

/* Puts `v` where the parse is: the root, an array's next item or the
 * value of the pending key. Takes `v` (freed on failure). */
static int place(struct builder *b, yajl_val v)
{
    if (!v) {
        b->out_of_memory = true;
        return 0;
    }
    if (b->depth == 0) {
        b->root = v;
        return 1;
    }
    yajl_val parent = b->open[b->depth - 1];
    if (!make_room(parent)) {
        tp_header_tree_free(v);
        b->out_of_memory = true;
        return 0;
    }
    if (parent->type == yajl_t_array) {
        parent->u.array.values[parent->u.array.len++] = v;
    } else {
        parent->u.object.keys[parent->u.object.len] = b->key;
        parent->u.object.values[parent->u.object.len++] = v;
        b->key = NULL;
    }
    return 1;
}

static yajl_val new_value(yajl_type type)
{
    yajl_val v = calloc(1, sizeof *v);
    if (v)
        v->type = type;
    return v;
}

static int on_null(void *ctx)
{
    return place(ctx, new_value(yajl_t_null));
}

static int on_boolean(void *ctx, int value)
{
    return place(ctx, new_value(value ? yajl_t_true : yajl_t_false));
}

/* As yajl_tree: `i` and `d` are valid when the text converts without
 * overflow; `r` keeps the text. */
static int on_number(void *ctx, const char *text, size_t len)
{
    yajl_val v = new_value(yajl_t_number);
    if (v && !(v->u.number.r = copy_text((const unsigned char *)text, len))) {
        free(v);
        v = NULL;
    }
    if (v) {
        char *end;
        errno = 0;
        v->u.number.i = strtoll(v->u.number.r, &end, 10);
        if (errno == 0 && *end == '\0')
            v->u.number.flags |= YAJL_NUMBER_INT_VALID;
        errno = 0;
        v->u.number.d = strtod(v->u.number.r, &end);
        if (errno == 0 && *end == '\0')
            v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
    }
    return place(ctx, v);
}

static int on_string(void *ctx, const unsigned char *text, size_t len)
{
    yajl_val v = new_value(yajl_t_string);
    if (v && !(v->u.string = copy_text(text, len))) {
        free(v);
        v = NULL;
    }
    return place(ctx, v);
}

static int open_container(void *ctx, yajl_type type)
{
    struct builder *b = ctx;
    if (b->depth == MAX_OPEN)
        return 0;   /* not a header the reader captured */
    yajl_val v = new_value(type);
    if (!place(b, v))
        return 0;
    b->open[b->depth++] = v;
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, yajl_t_object);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, yajl_t_array);
}

static int on_map_key(void *ctx, const unsigned char *text, size_t len)
{
    struct builder *b = ctx;
    free(b->key);
    b->key = copy_text(text, len);
    b->out_of_memory = b->key == NULL;
    return b->key != NULL;
}

static int on_end(void *ctx)
{
    struct builder *b = ctx;
    b->depth--;
    return 1;
}

static const yajl_callbacks building = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

tp_tree_status tp_header_tree_parse(const char *json, size_t len, yajl_val *out)
{
    struct builder b = {0};
    uint64_t at = 0;
    tp_yajl_memory memory;
    tp_yajl_memory_init(&memory, &at);   /* the file is the reader's */
    yajl_handle h = yajl_alloc(&building, &memory.funcs, &b);
    yajl_status st = yajl_parse(h, (const unsigned char *)json, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    free(b.key);
    if (st == yajl_status_ok && b.root) {
        *out = b.root;
        return TP_TREE_OK;
    }
    tp_header_tree_free(b.root);
    *out = NULL;
    return b.out_of_memory ? TP_TREE_OUT_OF_MEMORY : TP_TREE_NOT_JSON;
}
