/* tp_json_string / tp_json_number: escaping rules, UTF-8 repair, and the
 * round trip through real JSON parsers (yajl here, Python's json module as an
 * independent oracle for the replacement of ill-formed UTF-8). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "json_str.h"

static char *json_of(const char *s, size_t n)
{
    tp_buf b = TP_BUF_INIT;
    tp_json_string(&b, s, n);
    cr_assert(!b.failed);
    return b.data;
}

/* Parses a JSON string with yajl (which validates UTF-8) and returns its
 * value; fails the test when yajl refuses the text. */
static char *yajl_string_value(const char *json, size_t *len)
{
    char err[256];
    yajl_val v = yajl_tree_parse(json, err, sizeof err);
    cr_assert_not_null(v, "yajl rejected %s: %s", json, err);
    cr_assert(YAJL_IS_STRING(v), "not a string: %s", json);
    /* yajl strings are NUL-terminated, so an embedded NUL shortens them:
     * callers that need NUL compare against the escaped text instead. */
    const char *value = YAJL_GET_STRING(v);
    cr_assert_not_null(value);
    char *copy = strdup(value);
    *len = strlen(copy);
    yajl_tree_free(v);
    return copy;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

Test(json_string, ascii_escapes_follow_rfc8259)
{
    for (int c = 0; c < 0x80; c++) {
        char in = (char)c;
        char *out = json_of(&in, 1);
        char expected[16];
        switch (c) {
        case '"':  strcpy(expected, "\"\\\"\""); break;
        case '\\': strcpy(expected, "\"\\\\\""); break;
        case '\b': strcpy(expected, "\"\\b\""); break;
        case '\f': strcpy(expected, "\"\\f\""); break;
        case '\n': strcpy(expected, "\"\\n\""); break;
        case '\r': strcpy(expected, "\"\\r\""); break;
        case '\t': strcpy(expected, "\"\\t\""); break;
        default:
            if (c < 0x20)
                snprintf(expected, sizeof expected, "\"\\u%04x\"", c);
            else
                snprintf(expected, sizeof expected, "\"%c\"", c);
        }
        cr_assert_str_eq(out, expected, "byte 0x%02x", c);
        free(out);
    }
}

Test(json_string, embedded_nul_is_escaped_not_truncating)
{
    char *out = json_of("a\0b", 3);
    cr_assert_str_eq(out, "\"a\\u0000b\"");
    free(out);
}

Test(json_string, empty_string)
{
    char *out = json_of("", 0);
    cr_assert_str_eq(out, "\"\"");
    free(out);
}

Test(json_string, valid_utf8_passes_through_unchanged)
{
    const char *samples[] = {
        "caf\xC3\xA9",                   /* U+00E9 */
        "\xE2\x82\xAC 5",                /* U+20AC */
        "\xF0\x9F\x98\x80",              /* U+1F600 */
        "\xF4\x8F\xBF\xBF",              /* U+10FFFF, the last code point */
        "\xEF\xBF\xBF",                  /* U+FFFF, a noncharacter but valid */
        "\xE2\x80\xA8\xE2\x80\xA9",      /* U+2028/2029 are legal in JSON */
        "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80",
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        size_t n = strlen(samples[i]);
        char *out = json_of(samples[i], n);
        cr_assert_eq(strlen(out), n + 2, "sample %zu grew", i);
        cr_assert(memcmp(out + 1, samples[i], n) == 0, "sample %zu changed", i);
        size_t len;
        char *back = yajl_string_value(out, &len);
        cr_assert_str_eq(back, samples[i]);
        free(back);
        free(out);
    }
}

struct invalid_case {
    const char *in;
    const char *expected;   /* body of the JSON string, FFFD spelled out */
};

#define FFFD "\xEF\xBF\xBD"

Test(json_string, ill_formed_utf8_becomes_replacement_characters)
{
    /* One U+FFFD per maximal ill-formed subpart (Unicode 3.9, table 3-8). */
    static const struct invalid_case cases[] = {
        {"\x80", FFFD},                          /* stray continuation */
        {"\xBF\x80", FFFD FFFD},
        {"\xC0\xAF", FFFD FFFD},                 /* overlong '/' */
        {"\xC1\xBF", FFFD FFFD},                 /* overlong */
        {"\xE0\x80\xAF", FFFD FFFD FFFD},        /* overlong 3-byte */
        {"\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD},
        {"\xED\xA0\x80", FFFD FFFD FFFD},        /* encoded surrogate U+D800 */
        {"\xED\xBF\xBF", FFFD FFFD FFFD},        /* U+DFFF */
        {"\xED\xA0\xBD\xED\xB8\x80", FFFD FFFD FFFD FFFD FFFD FFFD}, /* CESU pair */
        {"\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD}, /* above U+10FFFF */
        {"\xF5\x80", FFFD FFFD},
        {"\xFF", FFFD},
        {"\xFE", FFFD},
        {"\xC3", FFFD},                          /* truncated at the end */
        {"\xE2\x82", FFFD},                      /* truncated 3-byte: one */
        {"\xF0\x9F\x98", FFFD},                  /* truncated 4-byte: one */
        {"\xE2\x82x", FFFD "x"},                 /* truncated mid-string */
        {"\xC3\xC3\xA9", FFFD "\xC3\xA9"},
        {"a\xF0\x9F\x98\x80\xF0\x9Fz", "a\xF0\x9F\x98\x80" FFFD "z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = json_of(cases[i].in, strlen(cases[i].in));
        char expected[64];
        snprintf(expected, sizeof expected, "\"%s\"", cases[i].expected);
        cr_assert_str_eq(out, expected, "case %zu", i);
        size_t len;
        free(yajl_string_value(out, &len));
        free(out);
    }
}

static void random_bytes(unsigned char *p, size_t n)
{
    /* Biased towards bytes that start or continue UTF-8 sequences, so that
     * both valid and subtly broken sequences are common. */
    static const unsigned char interesting[] = {
        0x00, 0x0A, 0x1F, '"', '\\', 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
        0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random();
        p[i] = (r & 1) ? interesting[(r >> 8) % sizeof interesting] : (unsigned char)(r >> 16);
    }
}

Test(json_string, random_bytes_always_give_valid_json)
{
    unsigned char in[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = next_random() % sizeof in;
        random_bytes(in, n);
        char *out = json_of((const char *)in, n);
        size_t len;
        free(yajl_string_value(out, &len));
        free(out);
    }
}

/* Python is the oracle: json.loads(our text) must equal
 * bytes.decode("utf-8", "replace") for every input. The script reads
 * "hex-input<TAB>our-json" lines and prints the numbers of the bad ones. */
static const char oracle_script[] =
    "import sys, json\n"
    "bad = []\n"
    "for i, line in enumerate(sys.stdin.buffer):\n"
    "    h, _, j = line.rstrip(b'\\n').partition(b'\\t')\n"
    "    want = bytes.fromhex(h.decode()).decode('utf-8', 'replace')\n"
    "    if json.loads(j.decode('utf-8')) != want: bad.append(i)\n"
    "print(len(bad), bad[:10])\n";

Test(json_string, replacement_matches_python_decoder)
{
    char path[] = "/tmp/tp_json_oracle_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    unsigned char in[48];
    int rounds = 5000;
    for (int round = 0; round < rounds; round++) {
        size_t n = next_random() % sizeof in;
        random_bytes(in, n);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%02x", in[i]);
        char *out = json_of((const char *)in, n);
        fprintf(f, "\t%s\n", out);
        free(out);
    }
    cr_assert_eq(fclose(f), 0);

    char script_path[] = "/tmp/tp_json_oracle_XXXXXX.py";
    int script_fd = mkstemps(script_path, 3);
    cr_assert(script_fd >= 0);
    FILE *script = fdopen(script_fd, "w");
    cr_assert_not_null(script);
    fputs(oracle_script, script);
    cr_assert_eq(fclose(script), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s < %s", PYTHON3, script_path, path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char result[256] = "";
    cr_assert_not_null(fgets(result, sizeof result, p));
    cr_assert_eq(pclose(p), 0);
    unlink(path);
    unlink(script_path);
    cr_assert_str_eq(result, "0 []\n", "mismatching lines (count, first ones): %s", result);
}

static double parse_number(const char *json)
{
    char err[256];
    yajl_val v = yajl_tree_parse(json, err, sizeof err);
    cr_assert_not_null(v, "yajl rejected %s: %s", json, err);
    cr_assert(YAJL_IS_NUMBER(v), "not a number: %s", json);
    double d = YAJL_IS_INTEGER(v) ? (double)YAJL_GET_INTEGER(v) : YAJL_GET_DOUBLE(v);
    yajl_tree_free(v);
    return d;
}

static char *number_text(double v)
{
    tp_buf b = TP_BUF_INIT;
    tp_json_number(&b, v);
    cr_assert(!b.failed);
    return b.data;
}

Test(json_number, non_finite_values_are_null)
{
    double values[] = {NAN, -NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 4; i++) {
        char *t = number_text(values[i]);
        cr_assert_str_eq(t, "null");
        free(t);
    }
}

Test(json_number, integral_values_have_no_exponent_or_point)
{
    double values[] = {0, 1, -1, 42, 1e15, 1e16, 1e18, -123456789012345.0, 9007199254740993.0 * 2};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char *t = number_text(values[i]);
        cr_assert_eq(strcspn(t, ".eE"), strlen(t), "%s has a point or exponent", t);
        cr_assert_eq(parse_number(t), values[i]);
        char expected[64];
        snprintf(expected, sizeof expected, "%lld", (long long)values[i]);
        cr_assert_str_eq(t, expected);
        free(t);
    }
}

Test(json_number, negative_zero_keeps_its_sign)
{
    char *t = number_text(-0.0);
    cr_assert_str_eq(t, "-0.0");
    cr_assert(signbit(parse_number(t)));
    free(t);
}

Test(json_number, random_doubles_round_trip_in_shortest_form)
{
    for (int i = 0; i < 100000; i++) {
        uint64_t bits = next_random();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (i % 3 == 0)
            v = (double)(next_random() % 100000000) / 1e6;  /* timestamp-like */
        char *t = number_text(v);
        if (!isfinite(v)) {
            cr_assert_str_eq(t, "null");
            free(t);
            continue;
        }
        cr_assert_eq(parse_number(t), v, "%s does not read back as %.17g", t, v);
        cr_assert_eq(strtod(t, NULL), v);
        /* Shortest: one significant digit fewer must not round-trip. */
        int digits = 0;
        bool leading = true;
        for (const char *c = t; *c && *c != 'e'; c++) {
            if (*c >= '1' && *c <= '9')
                leading = false;
            digits += !leading && *c >= '0' && *c <= '9';
        }
        if (strpbrk(t, ".e") && digits > 1) {
            char shorter[400];
            snprintf(shorter, sizeof shorter, "%.*g", digits - 1, v);
            cr_assert_neq(strtod(shorter, NULL), v, "%s is not the shortest form", t);
        }
        free(t);
    }
}

Test(json_number, subnormals_and_extremes)
{
    double values[] = {5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1.0 / 3, 1e-7, 123456.7};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char *t = number_text(values[i]);
        cr_assert_eq(strtod(t, NULL), values[i], "%s", t);
        cr_assert_eq(parse_number(t), values[i], "%s", t);
        free(t);
    }
}
