/* The key table: one row per configuration key (name, type, field,
 * default). Adding a key is one row here plus its field in tp_config. */
#include "config_internal.h"
#include "depth_limit.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Room for any field while it is parsed, before it replaces the old one. */
typedef union field_value {
    long count;
    double seconds;
    bool flag;
    int number;
    char *string;
    tp_strlist list;
} field_value;

/* ---- how a rejected value is shown ---- */

void tp_quote_for_message(tp_buf *out, const char *text)
{
    enum { SHOWN = 60 };
    size_t n = strlen(text);
    tp_buf_putc(out, '"');
    for (size_t i = 0; i < n && i < SHOWN; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            tp_buf_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            tp_buf_printf(out, "\\x%02x", c);
        else
            tp_buf_putc(out, (char)c);
    }
    tp_buf_puts(out, n > SHOWN ? "...\"" : "\"");
}

/* Appends ", got <value>" to an "expected ..." message. */
static tp_parse_result invalid(tp_buf *why, const char *expected, const tp_value *v)
{
    tp_buf_printf(why, "expected %s, got ", expected);
    if (v->kind == TP_VALUE_ARRAY)
        tp_buf_puts(why, "an array");
    else if (v->kind == TP_VALUE_STRING && v->text[0] != '\0')
        tp_buf_puts(why, "the string "), tp_quote_for_message(why, v->text);
    else
        tp_quote_for_message(why, v->text);
    return TP_PARSE_INVALID;
}

/* Text to read a number or word from: bare tokens and environment text. */
static const char *plain_text(const tp_value *v)
{
    return v->kind == TP_VALUE_BARE || v->kind == TP_VALUE_TEXT ? v->text : NULL;
}

/* ---- integers ---- */

/* Decimal digits, optional '+', '_' only between digits (TOML). */
static bool parse_decimal(const char *s, long *out)
{
    unsigned long value = 0;
    bool digit_before = false;
    if (*s == '+')
        s++;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s == '_' && digit_before && isdigit((unsigned char)s[1]))
            continue;
        if (!isdigit((unsigned char)*s))
            return false;
        if (value > (unsigned long)(LONG_MAX - 9) / 10)
            return false;
        value = value * 10 + (unsigned long)(*s - '0');
        digit_before = true;
    }
    *out = (long)value;
    return true;
}

static tp_parse_result parse_count(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    const char *text = plain_text(v);
    long n;
    if (text && parse_decimal(text, &n) && n >= key->min && n <= key->max) {
        *(long *)out = n;
        return TP_PARSE_OK;
    }
    if (key->min == 1 && (!text || !parse_decimal(text, &n) || n < 1))
        return invalid(why, "a positive integer", v);
    char expected[80];
    snprintf(expected, sizeof expected, "an integer from %ld to %ld", key->min, key->max);
    return invalid(why, expected, v);
}

static void format_count(const void *field, tp_buf *out)
{
    tp_buf_printf(out, "%ld", *(const long *)field);
}

/* ---- seconds ---- */

/* A decimal number of seconds in [0, 1e9] (strtod alone would also take
 * "inf", "nan", hex); false for anything else. */
static bool read_seconds(const char *text, double *out)
{
    char digits[64];
    size_t n = 0;
    for (const char *s = text; s && *s && n + 1 < sizeof digits; s++) {
        if (!strchr("0123456789.eE+-_", *s))
            return false;
        if (*s != '_')
            digits[n++] = *s;
    }
    digits[n] = '\0';
    if (n == 0 || n + 1 >= sizeof digits)
        return false;
    char *end;
    errno = 0;
    double d = strtod(digits, &end);
    if (*end != '\0' || errno != 0 || !isfinite(d) || d < 0 || d > 1e9)
        return false;
    *out = d;
    return true;
}

static tp_parse_result parse_seconds(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    double d;
    if (read_seconds(plain_text(v), &d) && d > 0) {
        *(double *)out = d;
        return TP_PARSE_OK;
    }
    return invalid(why, "a positive number of seconds (at most 1e9)", v);
}

/* As parse_seconds, but 0 means "off". */
static tp_parse_result parse_seconds_or_off(const tp_key *key, const tp_value *v, void *out,
                                            tp_buf *why)
{
    (void)key;
    double d;
    if (read_seconds(plain_text(v), &d)) {
        *(double *)out = d;
        return TP_PARSE_OK;
    }
    return invalid(why, "a number of seconds (0: off, at most 1e9)", v);
}

static void format_seconds(const void *field, tp_buf *out)
{
    tp_buf_printf(out, "%.17g", *(const double *)field);
}

/* ---- strings ---- */

static tp_parse_result copy_string(const char *text, void *out)
{
    char *copy = strdup(text);
    if (!copy)
        return TP_PARSE_NOMEM;
    *(char **)out = copy;
    return TP_PARSE_OK;
}

static tp_parse_result parse_path(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    if ((v->kind == TP_VALUE_STRING || v->kind == TP_VALUE_TEXT) && v->text[0] != '\0')
        return copy_string(v->text, out);
    return invalid(why, "a non-empty string", v);
}

/* An empty string means "not set" (NULL). */
static tp_parse_result parse_optional(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    if (v->kind != TP_VALUE_STRING && v->kind != TP_VALUE_TEXT)
        return invalid(why, "a string", v);
    if (v->text[0] == '\0') {
        *(char **)out = NULL;
        return TP_PARSE_OK;
    }
    return copy_string(v->text, out);
}

static void format_string(const void *field, tp_buf *out)
{
    const char *s = *(char *const *)field;
    tp_buf_putc(out, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            tp_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            tp_buf_puts(out, "\\n");
        else if (c == '\t')
            tp_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            tp_buf_printf(out, "\\u%04x", c);
        else
            tp_buf_putc(out, (char)c);
    }
    tp_buf_putc(out, '"');
}

static void release_string(void *field)
{
    free(*(char **)field);
    *(char **)field = NULL;
}

/* ---- booleans ---- */

static tp_parse_result parse_bool(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    /* TOML has only true/false; the environment takes the usual words. */
    size_t words = v->kind == TP_VALUE_TEXT ? 4 : 1;
    const char *text = plain_text(v);
    for (size_t i = 0; text && i < words; i++) {
        if (strcasecmp(text, yes[i]) == 0 || strcasecmp(text, no[i]) == 0) {
            *(bool *)out = strcasecmp(text, yes[i]) == 0;
            return TP_PARSE_OK;
        }
    }
    return invalid(why, words == 1 ? "true or false" : "1/0, true/false, yes/no or on/off", v);
}

static void format_bool(const void *field, tp_buf *out)
{
    tp_buf_puts(out, *(const bool *)field ? "true" : "false");
}

/* ---- lists of strings ---- */

static bool list_push(tp_strlist *list, const char *s, size_t n)
{
    char **items = realloc(list->items, (list->n + 1) * sizeof *items);
    if (!items)
        return false;
    list->items = items;
    if (!(items[list->n] = strndup(s, n)))
        return false;
    list->n++;
    return true;
}

static void release_list(void *field)
{
    tp_strlist *list = field;
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

/* Environment form: comma-separated, blanks around items dropped. */
static bool split_commas(const char *text, tp_strlist *list)
{
    while (*text) {
        const char *comma = strchr(text, ',');
        const char *stop = comma ? comma : text + strlen(text);
        const char *a = text, *b = stop;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a && !list_push(list, a, (size_t)(b - a)))
            return false;
        text = comma ? comma + 1 : stop;
    }
    return true;
}

static tp_parse_result parse_list(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    tp_strlist list = {NULL, 0};
    bool ok = true;
    if (v->kind == TP_VALUE_TEXT) {
        ok = split_commas(v->text, &list);
    } else if (v->kind == TP_VALUE_ARRAY && !v->non_string) {
        for (size_t i = 0; ok && i < v->n_items; i++)
            if (v->items[i][0] != '\0')
                ok = list_push(&list, v->items[i], strlen(v->items[i]));
    } else if (v->kind == TP_VALUE_ARRAY) {
        tp_buf_puts(why, "expected an array of strings, got the element ");
        tp_quote_for_message(why, v->non_string);
        return TP_PARSE_INVALID;
    } else {
        return invalid(why, "an array of strings", v);
    }
    if (!ok) {
        release_list(&list);
        return TP_PARSE_NOMEM;
    }
    *(tp_strlist *)out = list;
    return TP_PARSE_OK;
}

static void format_list(const void *field, tp_buf *out)
{
    const tp_strlist *list = field;
    tp_buf_putc(out, '[');
    for (size_t i = 0; i < list->n; i++) {
        if (i)
            tp_buf_puts(out, ", ");
        format_string(&list->items[i], out);
    }
    tp_buf_putc(out, ']');
}

/* ---- repr and signal ---- */

static tp_parse_result parse_repr(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    if (v->kind == TP_VALUE_STRING || v->kind == TP_VALUE_TEXT) {
        if (strcmp(v->text, "full") == 0 || strcmp(v->text, "safe") == 0) {
            *(bool *)out = strcmp(v->text, "safe") == 0;
            return TP_PARSE_OK;
        }
    }
    return invalid(why, "\"full\" or \"safe\"", v);
}

static void format_repr(const void *field, tp_buf *out)
{
    tp_buf_puts(out, *(const bool *)field ? "\"safe\"" : "\"full\"");
}

static const char *const variable_modes[] = {"changed", "all", "none"};

static tp_parse_result parse_variable_mode(const tp_key *key, const tp_value *v, void *out,
                                           tp_buf *why)
{
    (void)key;
    for (int i = 0; i < 3 && (v->kind == TP_VALUE_STRING || v->kind == TP_VALUE_TEXT); i++) {
        if (strcmp(v->text, variable_modes[i]) == 0) {
            *(int *)out = i;
            return TP_PARSE_OK;
        }
    }
    return invalid(why, "\"changed\", \"all\" or \"none\"", v);
}

static void format_variable_mode(const void *field, tp_buf *out)
{
    tp_buf_printf(out, "\"%s\"", tp_variable_mode_name(*(const int *)field));
}

const char *tp_variable_mode_name(int mode)
{
    return mode >= 0 && mode < 3 ? variable_modes[mode] : "changed";
}

static tp_parse_result parse_signal(const tp_key *key, const tp_value *v, void *out, tp_buf *why)
{
    (void)key;
    int signo = -1;
    if (v->kind == TP_VALUE_STRING || v->kind == TP_VALUE_TEXT)
        signo = tp_signal_parse(v->text);
    if (signo < 0)
        return invalid(why, "USR1, USR2, RTMIN+N or none", v);
    *(int *)out = signo;
    return TP_PARSE_OK;
}

static void format_signal(const void *field, tp_buf *out)
{
    tp_buf_printf(out, "\"%s\"", tp_signal_name(*(const int *)field));
}

/* ---- the table ---- */

#define FIELD(f) offsetof(tp_config, f), sizeof(((tp_config *)0)->f)
#define COUNT parse_count, format_count, NULL
#define SECONDS parse_seconds, format_seconds, NULL
#define PATH parse_path, format_string, release_string
#define OPTIONAL parse_optional, format_string, release_string
#define BOOL parse_bool, format_bool, NULL
#define LIST parse_list, format_list, release_list

static const tp_key keys[] = {
    {"max_depth", "TRACEPATCH_MAX_DEPTH", FIELD(max_depth), "30", 1, TP_DEPTH_LIMIT, COUNT},
    {"max_calls", "TRACEPATCH_MAX_CALLS", FIELD(max_calls), "10000", 1, 1000000000, COUNT},
    {"max_repr", "TRACEPATCH_MAX_REPR", FIELD(max_repr), "120", 4, 1048576, COUNT},
    {"max_seconds", "TRACEPATCH_MAX_SECONDS", FIELD(max_seconds), "60", 0, 0, SECONDS},
    {"max_memory_mb", "TRACEPATCH_MAX_MEMORY_MB", FIELD(max_memory_mb), "256", 1, 1048576, COUNT},
    {"min_free_mb", "TRACEPATCH_MIN_FREE_MB", FIELD(min_free_mb), "100", 0, 1048576, COUNT},
    {"ignore_modules", "TRACEPATCH_IGNORE_MODULES", FIELD(ignore_modules),
     "threading,importlib,_frozen_importlib,_frozen_importlib_external,zipimport,asyncio,selectors,concurrent.futures,_weakrefset", 0, 0, LIST},
    {"include_modules", "TRACEPATCH_INCLUDE_MODULES", FIELD(include_modules), "", 0, 0, LIST},
    {"redact", "TRACEPATCH_REDACT", FIELD(redact),
     "password,passwd,secret,token,api_key,apikey,authorization,cookie,session", 0, 0, LIST},
    {"cache_dir", "TRACEPATCH_CACHE_DIR", FIELD(cache_dir), ".tracepatch_cache", 0, 0, PATH},
    {"fallback_dir", "TRACEPATCH_FALLBACK_DIR", FIELD(fallback_dir), "", 0, 0, OPTIONAL},
    {"default_label", "TRACEPATCH_DEFAULT_LABEL", FIELD(default_label), "", 0, 0, OPTIONAL},
    {"quiet", "TRACEPATCH_QUIET", FIELD(quiet), "false", 0, 0, BOOL},
    {"repr", "TRACEPATCH_REPR", FIELD(repr_safe), "full", 0, 0, parse_repr, format_repr, NULL},
    {"repr_budget_ms", "TRACEPATCH_REPR_BUDGET_MS", FIELD(repr_budget_ms), "200", 0, 3600000,
     COUNT},
    {"signal", "TRACEPATCH_SIGNAL", FIELD(signal), "USR1", 0, 0, parse_signal, format_signal, NULL},
    {"trigger", "TRACEPATCH_TRIGGER", FIELD(trigger), "", 0, 0, OPTIONAL},
    {"autostart", "TRACEPATCH_AUTOSTART", FIELD(autostart), "false", 0, 0, BOOL},
    {"record_c_calls", "TRACEPATCH_RECORD_C_CALLS", FIELD(record_c_calls), "false", 0, 0, BOOL},
    {"inherit", "TRACEPATCH_INHERIT", FIELD(inherit), "true", 0, 0, BOOL},
    {"snapshot_seconds", "TRACEPATCH_SNAPSHOT_SECONDS", FIELD(snapshot_seconds), "0", 0, 0,
     parse_seconds_or_off, format_seconds, NULL},
    {"line_functions", "TRACEPATCH_LINE_FUNCTIONS", FIELD(line_functions), "", 0, 0, LIST},
    {"variable_mode", "TRACEPATCH_VARIABLE_MODE", FIELD(variable_mode), "changed", 0, 0,
     parse_variable_mode, format_variable_mode, NULL},
    {"line_samples", "TRACEPATCH_LINE_SAMPLES", FIELD(line_samples), "3", 1, 100, COUNT},
    {"line_max_steps", "TRACEPATCH_LINE_MAX_STEPS", FIELD(line_max_steps), "10000", 1, 1000000,
     COUNT},
};

_Static_assert(sizeof keys / sizeof keys[0] <= TP_CONFIG_MAX_KEYS, "raise TP_CONFIG_MAX_KEYS");

size_t tp_key_count(void)
{
    return sizeof keys / sizeof keys[0];
}

const tp_key *tp_key_at(size_t i)
{
    return &keys[i];
}

int tp_key_find(const char *name)
{
    for (size_t i = 0; i < tp_key_count(); i++)
        if (strcmp(keys[i].name, name) == 0)
            return (int)i;
    return -1;
}

tp_parse_result tp_key_apply(tp_config *cfg, size_t i, const tp_value *v,
                             tp_origin origin, tp_buf *why)
{
    const tp_key *key = &keys[i];
    field_value parsed;
    memset(&parsed, 0, sizeof parsed);
    tp_parse_result result = key->parse(key, v, &parsed, why);
    if (result != TP_PARSE_OK)
        return result;
    void *field = (char *)cfg + key->offset;
    if (key->release)
        key->release(field);
    memcpy(field, &parsed, key->size);
    cfg->origin[i] = origin;
    return TP_PARSE_OK;
}

void tp_config_release_fields(tp_config *cfg)
{
    for (size_t i = 0; i < tp_key_count(); i++)
        if (keys[i].release)
            keys[i].release((char *)cfg + keys[i].offset);
}
