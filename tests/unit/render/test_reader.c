/* The streaming reader: what it delivers, and how it refuses bad input. */
#include "json_number.h"
#include "reader.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
    char order[512];     /* "name@depth(thread)" of each begin, in order */
    char ends[512];      /* "index+descendants=elapsed" of each end */
    int begins;
};

static void on_begin(const tp_node *n, void *ctx)
{
    struct seen *s = ctx;
    size_t len = strlen(s->order);
    snprintf(s->order + len, sizeof s->order - len, "%s@%u(%lld", n->name ? n->name : "-",
             n->depth, n->has_thread ? (long long)n->thread : -1LL);
    len = strlen(s->order);
    if (n->has_native_thread)
        snprintf(s->order + len, sizeof s->order - len, "/%lld", (long long)n->native_thread);
    len = strlen(s->order);
    snprintf(s->order + len, sizeof s->order - len, ") ");
    s->begins++;
}

static void on_end(const tp_node_end *e, void *ctx)
{
    struct seen *s = ctx;
    size_t len = strlen(s->ends);
    snprintf(s->ends + len, sizeof s->ends - len, "%llu+%llu=%g ", (unsigned long long)e->index,
             (unsigned long long)e->descendants, e->has_elapsed ? e->elapsed_ms : -1.0);
}

static int read_text(const char *json, struct seen *s, tp_header *h, tp_buf *err)
{
    tp_reader_callbacks cb = {on_begin, on_end, s, false};
    tp_header_init(h);
    return tp_read_trace_memory("mem.json", (const unsigned char *)json, strlen(json), &cb, h, err);
}

Test(reader, delivers_pre_order_with_depth_and_inherited_thread)
{
    struct seen s = {{0}, {0}, 0};
    tp_header h;
    tp_buf err = TP_BUF_INIT;
    int rc = read_text("{\"pid\": 5, \"trace\": ["
                       "{\"name\": \"a\", \"thread\": 7, \"native_thread_id\": 101, \"start\": 1, "
                       "\"end\": 1.5, \"children\": ["
                       "  {\"name\": \"b\", \"elapsed_ms\": 2, \"children\": [{\"name\": \"c\"}]},"
                       "  {\"name\": \"d\", \"elapsed_ms\": 3}]},"
                       "{\"name\": \"e\", \"thread\": 8, \"elapsed_ms\": 4}]}",
                       &s, &h, &err);
    cr_assert_eq(rc, 0, "%s", tp_buf_cstr(&err));
    /* A root's kernel tid reaches its children like its ident. */
    cr_expect_str_eq(s.order, "a@0(7/101) b@1(7/101) c@2(7/101) d@1(7/101) e@0(8) ");
    cr_expect_str_eq(s.ends, "2+0=-1 1+1=2 3+0=3 0+3=500 4+0=4 ");
    int64_t pid = 0;
    cr_expect(tp_header_int(&h, "pid", &pid));
    cr_expect_eq(pid, 5);
    cr_expect_eq(h.node_count, 5);
    tp_header_free(&h);
    tp_buf_free(&err);
}

Test(reader, keys_after_children_reach_the_end_callback)
{
    struct seen s = {{0}, {0}, 0};
    tp_header h;
    tp_buf err = TP_BUF_INIT;
    int rc = read_text("{\"trace\": [{\"name\": \"a\", \"children\": [], \"elapsed_ms\": 9,"
                       " \"unknown\": {\"x\": [1, {\"y\": null}]}}], \"label\": \"late\"}",
                       &s, &h, &err);
    cr_assert_eq(rc, 0, "%s", tp_buf_cstr(&err));
    cr_expect_str_eq(s.ends, "0+0=9 ");
    cr_expect_str_eq(tp_header_str(&h, "label"), "late");
    tp_header_free(&h);
    tp_buf_free(&err);
}

Test(reader, control_characters_in_text_are_escaped)
{
    struct seen s = {{0}, {0}, 0};
    tp_header h;
    tp_buf err = TP_BUF_INIT;
    int rc = read_text("{\"trace\": [{\"name\": \"a\\u0000b\\u001b[31m\\n\"}]}", &s, &h, &err);
    cr_assert_eq(rc, 0, "%s", tp_buf_cstr(&err));
    cr_expect_str_eq(s.order, "a\\x00b\\x1b[31m\\n@0(-1) ");
    tp_header_free(&h);
    tp_buf_free(&err);
}

static void keep_name_length(const tp_node *n, void *ctx)
{
    tp_buf *name = ctx;
    tp_buf_reset(name);
    tp_buf_puts(name, n->name);
}

Test(reader, long_text_is_cut_on_a_character_boundary)
{
    size_t pairs = TP_FIELD_LIMIT;   /* twice the limit in bytes */
    char *json = malloc(pairs * 2 + 64);
    strcpy(json, "{\"trace\": [{\"name\": \"x");
    char *p = json + strlen(json);
    for (size_t i = 0; i < pairs; i++, p += 2)
        memcpy(p, "\xc3\xa9", 2);   /* two-byte characters after one ASCII byte */
    strcpy(p, "\"}]}");
    tp_buf name = TP_BUF_INIT;
    tp_reader_callbacks cb = {keep_name_length, NULL, &name, false};
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    int rc = tp_read_trace_memory("m", (const unsigned char *)json, strlen(json), &cb, &h, &err);
    cr_assert_eq(rc, 0, "%s", tp_buf_cstr(&err));
    cr_expect_leq(name.len, TP_FIELD_LIMIT + 3);
    cr_expect_str_eq(name.data + name.len - 3, "...");
    /* 'x' + whole two-byte characters: an odd length before the dots */
    cr_expect_eq((name.len - 3) % 2, 1, "cut inside a character: %zu", name.len);
    tp_buf_free(&name);
    tp_header_free(&h);
    tp_buf_free(&err);
    free(json);
}

static void expect_error(const char *json, const char *want)
{
    struct seen s = {{0}, {0}, 0};
    tp_header h;
    tp_buf err = TP_BUF_INIT;
    int rc = read_text(json, &s, &h, &err);
    cr_expect_eq(rc, -1, "accepted: %s", json);
    cr_expect_str_eq(tp_buf_cstr(&err), want);
    tp_header_free(&h);
    tp_buf_free(&err);
}

Test(reader, wrong_types_name_the_key_and_byte)
{
    expect_error("{\"pid\": \"x\", \"trace\": []}",
                 "mem.json: key \"pid\": expected an integer, got a string at byte 11");
    expect_error("{\"trace\": {}}", "mem.json: key \"trace\": expected an array, got an object at byte 11");
    expect_error("{\"trace\": [1]}", "mem.json: trace entry: expected a call object, got an integer at byte 12");
    expect_error("{\"trace\": [{\"name\": 3}]}",
                 "mem.json: call key \"name\": expected a string, got an integer at byte 21");
    expect_error("{\"trace\": [{\"elapsed_ms\": \"fast\"}]}",
                 "mem.json: call key \"elapsed_ms\": expected a number, got a string at byte 32");
    expect_error("{\"trace\": [{\"children\": 1}]}",
                 "mem.json: call key \"children\": expected an array, got an integer at byte 25");
    expect_error("{\"trace\": [{\"native_thread_id\": \"7\"}]}",
                 "mem.json: call key \"native_thread_id\": expected an integer, got a string at byte 35");
    expect_error("{\"trace\": [{\"lineno\": 1.5}]}",
                 "mem.json: call key \"lineno\": expected an integer, got a number at byte 25");
    expect_error("[]", "mem.json: expected a JSON object at the top level at byte 1");
    expect_error("{}", "mem.json: not a tracepatch trace: no \"trace\" key at byte 2");
    expect_error("", "mem.json: empty file, expected a JSON trace at byte 0");
}

Test(reader, bad_json_is_reported_with_its_offset)
{
    expect_error("{\"trace\": [", "mem.json: unexpected end of file (truncated trace?) at byte 11");
    expect_error("{\"trace\": []} x", "mem.json: invalid JSON: trailing garbage at byte 15");
    expect_error("{\"trace\": [\xff]}", "mem.json: invalid JSON: invalid char in json text at byte 12");
    expect_error("{\"label\": \"\xc3\x28\", \"trace\": []}",
                 "mem.json: invalid JSON: invalid bytes in UTF8 string at byte 13");
}

Test(reader, truncation_at_every_byte_is_an_error)
{
    const char *json = "{\"label\": \"x\", \"trace\": [{\"name\": \"a\", \"elapsed_ms\": 1.5,"
                       " \"children\": [{\"name\": \"b\"}]}]}";
    size_t len = strlen(json);
    for (size_t cut = 0; cut < len; cut++) {
        tp_header h;
        tp_header_init(&h);
        tp_buf err = TP_BUF_INIT;
        int rc = tp_read_trace_memory("cut.json", (const unsigned char *)json, cut, NULL, &h, &err);
        cr_expect_eq(rc, -1, "cut at %zu accepted", cut);
        cr_expect(strncmp(tp_buf_cstr(&err), "cut.json: ", 10) == 0, "%s", tp_buf_cstr(&err));
        cr_expect(strstr(tp_buf_cstr(&err), " at byte ") != NULL, "%s", tp_buf_cstr(&err));
        tp_header_free(&h);
        tp_buf_free(&err);
    }
}

Test(reader, deep_nesting_is_refused)
{
    size_t depth = 100000;
    char *json = malloc(depth * 2 + 64);
    size_t n = (size_t)sprintf(json, "{\"x\": ");
    memset(json + n, '[', depth);
    memset(json + n + depth, ']', depth);
    strcpy(json + n + 2 * depth, ", \"trace\": []}");
    expect_error(json, "mem.json: header nested deeper than 60 levels at byte 66");
    free(json);
}

/* A call tree `depth` levels deep, one node a level. */
static char *nested_calls(size_t depth)
{
    const char *open = "{\"children\":[", *close = "]}";
    char *json = malloc(depth * (strlen(open) + strlen(close)) + 64);
    cr_assert_not_null(json);
    char *p = json + sprintf(json, "{\"trace\": [");
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "%s", open);
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "%s", close);
    strcpy(p, "]}");
    return json;
}

/* As deep as the deepest max_depth a window accepts: every trace the tracer
 * can write is read; one level more is refused. */
Test(reader, call_trees_as_deep_as_max_depth_allows)
{
    char *json = nested_calls(TP_DEPTH_LIMIT);
    struct seen s = {{0}, {0}, 0};
    tp_header h;
    tp_buf err = TP_BUF_INIT;
    cr_expect_eq(read_text(json, &s, &h, &err), 0, "%s", tp_buf_cstr(&err));
    cr_expect_eq(s.begins, TP_DEPTH_LIMIT);
    tp_header_free(&h);
    free(json);
    json = nested_calls(TP_DEPTH_LIMIT + 1);
    s = (struct seen){{0}, {0}, 0};
    cr_expect_eq(read_text(json, &s, &h, &err), -1);
    cr_expect(strstr(tp_buf_cstr(&err), "calls nested deeper than 100000 levels") != NULL, "%s",
              tp_buf_cstr(&err));
    tp_header_free(&h);
    tp_buf_free(&err);
    free(json);
}

Test(reader, huge_strings_are_refused_before_they_are_buffered)
{
    size_t n = TP_MAX_STRING_BYTES + 10;
    char *json = malloc(n + 64);
    size_t head = (size_t)sprintf(json, "{\"label\": \"");
    memset(json + head, 'a', n);
    strcpy(json + head + n, "\", \"trace\": []}");
    char want[128];
    snprintf(want, sizeof want, "mem.json: string longer than 16 MiB at byte %zu",
             head + TP_MAX_STRING_BYTES);
    expect_error(json, want);
    free(json);
}

Test(reader, header_only_stops_at_the_trace)
{
    const char *json = "{\"schema_version\": 1, \"label\": \"l\", \"trace\": [ this is not json";
    tp_reader_callbacks cb = {NULL, NULL, NULL, true};
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    int rc = tp_read_trace_memory("m", (const unsigned char *)json, strlen(json), &cb, &h, &err);
    cr_expect_eq(rc, 0, "%s", tp_buf_cstr(&err));
    cr_expect_str_eq(tp_header_str(&h, "label"), "l");
    tp_header_free(&h);
    tp_buf_free(&err);
}

Test(reader, huge_escaped_string_after_a_decoded_one_is_refused)
{
    /* the first string has escapes, so yajl hands it over from its own
     * buffer; the guard must still find where the second one starts */
    size_t pairs = TP_MAX_STRING_BYTES / 2 + 10;
    char *json = malloc(2 * pairs + 64);
    size_t head = (size_t)sprintf(json, "{\"label\": \"a\\\"b\", \"x\": \"");
    for (size_t i = 0; i < pairs; i++)
        memcpy(json + head + 2 * i, "\\\"", 2);
    strcpy(json + head + 2 * pairs, "\", \"trace\": []}");
    char want[128];
    snprintf(want, sizeof want, "mem.json: string longer than 16 MiB at byte %zu",
             head + TP_MAX_STRING_BYTES);
    expect_error(json, want);
    free(json);
}

Test(reader, strings_cut_by_chunk_boundaries_are_read_whole)
{
    /* a filler string, then a label with escapes, shifted byte by byte
     * across the reader's 256 KiB chunk boundary */
    const char *label = "q\\\\\\\"r\\u00e9s\\\"t";   /* q\\\"r\u00e9s\"t as JSON */
    size_t around = 256u << 10;
    for (size_t shift = 0; shift < 24; shift++) {
        size_t filler = around - 48 + shift;   /* the label starts 25 bytes later */
        char *json = malloc(filler + 128);
        size_t n = (size_t)sprintf(json, "{\"argv\": [\"");
        memset(json + n, 'f', filler);
        sprintf(json + n + filler, "\"], \"label\": \"%s\", \"trace\": []}", label);
        struct seen s = {{0}, {0}, 0};
        tp_header h;
        tp_buf err = TP_BUF_INIT;
        int rc = read_text(json, &s, &h, &err);
        cr_expect_eq(rc, 0, "shift %zu: %s", shift, tp_buf_cstr(&err));
        cr_expect_str_eq(tp_header_str(&h, "label"), "q\\\"r\u00e9s\"t", "shift %zu", shift);
        tp_header_free(&h);
        tp_buf_free(&err);
        free(json);
    }
}

static void expect_same_double(const char *text)
{
    double fast = 0, slow = strtod(text, NULL);
    cr_assert(tp_json_double(text, strlen(text), &fast), "%s", text);
    cr_expect(memcmp(&fast, &slow, sizeof fast) == 0, "%s: %.17g vs %.17g", text, fast, slow);
}

Test(reader, numbers_convert_exactly_as_strtod)
{
    const char *fixed[] = {"0", "-0", "-0.0", "1", "0.1", "1700000000.123456", "9007199254740993",
                           "123456789012345678901234567890", "1e22", "1e23", "1.5e-7", "-2E+3",
                           "4.9e-324", "1.7976931348623157e308", "0.30000000000000004"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        expect_same_double(fixed[i]);
    srand(9);
    char text[64];
    for (int i = 0; i < 200000; i++) {
        double v = (double)rand() / RAND_MAX * 1e6 * (rand() % 2 ? 1 : -1);
        snprintf(text, sizeof text, "%.*f", rand() % 10, v);
        expect_same_double(text);
        snprintf(text, sizeof text, "%.*e", rand() % 18, v);
        expect_same_double(text);
    }
    double d;
    cr_expect(!tp_json_double("1e999", 5, &d));
    int64_t n = 0;
    cr_expect(tp_json_int("-9223372036854775808", 20, &n) && n == INT64_MIN);
    cr_expect(!tp_json_int("9223372036854775808", 19, &n));
    cr_expect(tp_json_int("-123456789012345678", 19, &n) && n == -123456789012345678LL);
    cr_expect(!tp_json_int("1.0", 3, &n));
}

/* tp_read_trace_value: the events of one extra node key, with their level
 * and call, interleaved with the node callbacks in file order. */
static const char *on_token(const tp_value_token *t, void *ctx)
{
    struct seen *s = ctx;
    static const char *const names[] = {"{", "[", "}", "k:", "v:"};
    size_t len = strlen(s->order);
    snprintf(s->order + len, sizeof s->order - len, "%s%.*s/%u#%llu ", names[t->event],
             t->text ? (int)t->len : 0, t->text ? t->text : "", t->level,
             (unsigned long long)t->node_index);
    return t->event == TP_VALUE_SCALAR && t->len == 3 && memcmp(t->text, "bad", 3) == 0
           ? "no good" : NULL;
}

static int read_value(const char *json, struct seen *s, tp_buf *err)
{
    tp_reader_callbacks cb = {on_begin, on_end, s, false};
    tp_reader_value value = {"lines", on_token};
    tp_header h;
    tp_header_init(&h);
    int rc = tp_read_trace_value_memory("mem.json", (const unsigned char *)json, strlen(json),
                                        &cb, &value, &h, err);
    tp_header_free(&h);
    return rc;
}

Test(reader, streams_the_wanted_value_before_or_after_children)
{
    struct seen s = {{0}, {0}, 0};
    tp_buf err = TP_BUF_INIT;
    int rc = read_value("{\"lines\": 1, \"trace\": ["
                        "{\"name\": \"a\", \"lines\": {\"s\": [1, \"x\"]}, \"children\": ["
                        "  {\"name\": \"b\", \"other\": {\"lines\": 2}}],"
                        " \"lines\": null}]}", &s, &err);
    cr_assert_eq(rc, 0, "%s", tp_buf_cstr(&err));
    cr_expect_str_eq(s.order, "{/0#0 k:s/1#0 [/1#0 v:1/2#0 v:x/2#0 }/1#0 }/0#0 a@0(-1) b@1(-1) "
                              "v:null/0#0 ");
    cr_expect_str_eq(s.ends, "1+0=-1 0+1=-1 ");
    rc = read_value("{\"trace\": [{\"name\": \"a\", \"lines\": [\"bad\"]}]}", &s, &err);
    cr_expect_eq(rc, -1);
    cr_expect_str_eq(tp_buf_cstr(&err), "mem.json: call key \"lines\": no good at byte 40");
    tp_buf_free(&err);
}
