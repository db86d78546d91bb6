/* tph logs: the traces in a cache directory, newest first. Reads headers
 * only: the reader stops at the `trace` array. */
#include "cli.h"
#include "commands.h"
#include "field.h"
#include "format_time.h"
#include "json_value.h"
#include "logs_follow.h"
#include "pager.h"
#include "reader.h"
#include "trace_name.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "tph logs [--cache-dir DIR] [--limit N] [--label GLOB] [--pid N] [--json] [--no-pager]\n" \
              "       tph logs --follow [--cache-dir DIR] [--label GLOB] [--pid N] [--json]"
#define DEFAULT_CACHE ".tracepatch_cache"

struct entry {
    char *path, *timestamp, *label;
    int64_t pid, calls;
    double duration_ms;
    bool has_pid, has_calls, has_duration, limited, partial;
};

struct listing {
    struct entry *items;
    size_t count, cap;
};

struct logs_args {
    const char *dir, *label;
    int64_t limit, pid;
    bool has_pid, json, use_pager, follow, dir_given;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void entry_free(struct entry *e)
{
    free(e->path);
    free(e->timestamp);
    free(e->label);
}

static bool wanted(const struct logs_args *a, const struct entry *e)
{
    if (a->has_pid && (!e->has_pid || e->pid != a->pid))
        return false;
    return !a->label || (e->label && fnmatch(a->label, e->label, 0) == 0);
}

static int add_entry(struct listing *l, const char *path, const tp_header *h)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct entry *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    struct entry *e = &l->items[l->count];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    e->timestamp = dup_or_null(tp_header_str(h, "timestamp"));
    e->label = dup_or_null(tp_header_str(h, "label"));
    e->has_pid = tp_header_int(h, "pid", &e->pid);
    e->has_calls = tp_header_int(h, "call_count", &e->calls);
    e->has_duration = tp_header_num(h, "duration_ms", &e->duration_ms);
    tp_header_bool(h, "was_limited", &e->limited);
    tp_header_bool(h, "partial", &e->partial);
    l->count++;
    bool copied = e->path && (e->timestamp || !tp_header_str(h, "timestamp")) &&
                  (e->label || !tp_header_str(h, "label"));
    return copied ? 0 : -1;
}

/* Reads one file's header; a bad file is reported and skipped. */
static int scan_file(struct listing *l, const struct logs_args *a, const char *path)
{
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    tp_reader_callbacks cb = {.header_only = true};
    int rc = 0;
    if (tp_read_trace(path, &cb, &h, &err) != 0) {
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    } else {
        rc = add_entry(l, path, &h);
        if (rc == 0 && !wanted(a, &l->items[l->count - 1]))
            entry_free(&l->items[--l->count]);
    }
    tp_buf_free(&err);
    tp_header_free(&h);
    return rc;
}

static bool is_trace_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Trace files in `dir` (0 when it cannot be read). */
static size_t count_traces(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *de; d && (de = readdir(d)) != NULL;)
        n += is_trace_name(de->d_name);
    if (d)
        closedir(d);
    return n;
}

/* Without --cache-dir: a word about traces that went to this user's
 * fallback directory because their cache directory could not take them
 * (the core said so on the process's stderr, which is easily missed). */
static void mention_fallback(tp_buf *out, const struct logs_args *a)
{
    tp_buf dir = TP_BUF_INIT;
    tp_fallback_dir_default(&dir, getenv("TMPDIR"), geteuid());
    size_t n = a->dir_given || dir.failed ? 0 : count_traces(tp_buf_cstr(&dir));
    if (n) {
        tp_buf_printf(out, "\n%zu trace%s in ", n, n == 1 ? "" : "s");
        tp_text_append(out, tp_buf_cstr(&dir));
        tp_buf_puts(out, ", where a trace goes when its cache directory cannot take it:\n"
                         "    tph logs --cache-dir ");
        tp_text_append(out, tp_buf_cstr(&dir));
        tp_buf_putc(out, '\n');
    }
    tp_buf_free(&dir);
}

static int scan_dir(struct listing *l, const struct logs_args *a)
{
    DIR *d = opendir(a->dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *de;
    int rc = 0;
    tp_buf path = TP_BUF_INIT;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!is_trace_name(de->d_name))
            continue;
        tp_buf_reset(&path);
        tp_buf_printf(&path, "%s/%s", a->dir, de->d_name);
        rc = path.failed ? -1 : scan_file(l, a, tp_buf_cstr(&path));
    }
    tp_buf_free(&path);
    closedir(d);
    return rc;
}

/* Newest first: by window start, then by file name (which sorts by time). */
static int compare_entries(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int c = strcmp(b->timestamp ? b->timestamp : "", a->timestamp ? a->timestamp : "");
    return c ? c : strcmp(b->path, a->path);
}

static void put_text_row(tp_buf *out, const struct entry *e)
{
    char when[20] = "-", calls[24] = "-", pid[24] = "-", duration[32] = "-";
    if (e->timestamp) {
        snprintf(when, sizeof when, "%s", e->timestamp);
        char *t = strchr(when, 'T');
        if (t)
            *t = ' ';
    }
    if (e->has_calls)
        snprintf(calls, sizeof calls, "%lld", (long long)e->calls);
    if (e->has_pid)
        snprintf(pid, sizeof pid, "%lld", (long long)e->pid);
    if (e->has_duration)
        tp_format_elapsed(e->duration_ms, duration, sizeof duration);
    tp_buf safe_label = TP_BUF_INIT;
    tp_text_append(&safe_label, e->label ? e->label : "-");
    tp_buf_printf(out, "%-19s  %-16s %8s %9s %10s  %-7s  ", when, tp_buf_cstr(&safe_label),
                  pid, calls, duration, e->limited ? "LIMITED" : "");
    tp_text_append(out, e->path);
    tp_buf_putc(out, '\n');
    tp_buf_free(&safe_label);
}

static void put_json_string_or_null(tp_buf *out, const char *s)
{
    if (!s) {
        tp_buf_puts(out, "null");
        return;
    }
    tp_buf_putc(out, '"');
    tp_json_escape(out, s);
    tp_buf_putc(out, '"');
}

static void put_json_row(tp_buf *out, const struct entry *e, bool first)
{
    tp_buf_puts(out, first ? "\n  {\"path\": " : ",\n  {\"path\": ");
    put_json_string_or_null(out, e->path);
    tp_buf_puts(out, ", \"timestamp\": ");
    put_json_string_or_null(out, e->timestamp);
    tp_buf_puts(out, ", \"label\": ");
    put_json_string_or_null(out, e->label);
    tp_buf_puts(out, ", \"pid\": ");
    tp_buf_printf(out, e->has_pid ? "%lld" : "null", (long long)e->pid);
    tp_buf_puts(out, ", \"call_count\": ");
    tp_buf_printf(out, e->has_calls ? "%lld" : "null", (long long)e->calls);
    tp_buf_puts(out, ", \"duration_ms\": ");
    if (e->has_duration)
        tp_buf_printf(out, "%.3f", e->duration_ms);
    else
        tp_buf_puts(out, "null");
    tp_buf_printf(out, ", \"was_limited\": %s}", e->limited ? "true" : "false");
}

static void render(tp_buf *out, const struct logs_args *a, const struct listing *l)
{
    size_t n = l->count;
    if (a->limit > 0 && (size_t)a->limit < n)
        n = (size_t)a->limit;
    if (a->json) {
        tp_buf_putc(out, '[');
        for (size_t i = 0; i < n; i++)
            put_json_row(out, &l->items[i], i == 0);
        tp_buf_puts(out, n ? "\n]\n" : "]\n");
        return;
    }
    if (n == 0) {
        tp_buf_puts(out, "No traces in ");
        tp_text_append(out, a->dir);
        tp_buf_puts(out, ".\nA traced process writes them to .tracepatch_cache/ in its working "
                         "directory\n(the cache_dir setting); see 'tph config'.\n");
        return;
    }
    tp_buf_printf(out, "%-19s  %-16s %8s %9s %10s  %-7s  %s\n", "TIME", "LABEL", "PID", "CALLS",
                  "DURATION", "", "PATH");
    for (size_t i = 0; i < n; i++)
        put_text_row(out, &l->items[i]);
}

/* --follow: one row per trace that appears or is replaced, with what
 * happened: new, snapshot (a new partial file), updated (a snapshot
 * replaced by a newer one), final (replaced by the finished trace). */
static void follow_row(const char *path, bool replaced, void *ctx)
{
    const struct logs_args *a = ctx;
    struct listing l = {NULL, 0, 0};
    if (scan_file(&l, a, path) == 0 && l.count == 1) {
        const struct entry *e = &l.items[0];
        const char *event = replaced ? (e->partial ? "updated" : "final")
                                     : (e->partial ? "snapshot" : "new");
        tp_buf out = TP_BUF_INIT, row = TP_BUF_INIT;
        if (a->json) {
            put_json_row(&row, e, true);
            tp_buf_printf(&out, "{\"event\": \"%s\", %s\n", event, tp_buf_cstr(&row) + 4);
        } else {
            put_text_row(&row, e);
            tp_buf_printf(&out, "%-9s %s", event, tp_buf_cstr(&row));
        }
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        fflush(stdout);
        tp_buf_free(&out);
        tp_buf_free(&row);
    }
    for (size_t i = 0; i < l.count; i++)
        entry_free(&l.items[i]);
    free(l.items);
}

static int follow(struct logs_args *a)
{
    if (!a->json) {
        printf("%-9s %-19s  %-16s %8s %9s %10s  %-7s  %s\n", "EVENT", "TIME", "LABEL", "PID",
               "CALLS", "DURATION", "", "PATH");
        fflush(stdout);
    }
    return tp_logs_follow(a->dir, follow_row, a);
}

static int parse_args(struct logs_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"cache-dir", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"label", required_argument, NULL, 'l'},
        {"pid", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"no-pager", no_argument, NULL, 'P'},
        {"follow", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->dir = DEFAULT_CACHE;
    a->use_pager = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'd': a->dir = optarg; a->dir_given = true; break;
        case 'l': a->label = optarg; break;
        case 'j': a->json = true; break;
        case 'P': a->use_pager = false; break;
        case 'F': a->follow = true; break;
        case 'n':
            if (!tp_parse_int(optarg, 1, INT64_MAX, &a->limit))
                return tp_usage_error("logs", USAGE, "--limit wants a number >= 1, got", optarg);
            break;
        case 'p':
            if (!tp_parse_int(optarg, 0, INT64_MAX, &a->pid))
                return tp_usage_error("logs", USAGE, "--pid wants a process id, got", optarg);
            a->has_pid = true;
            break;
        case 'h':
            printf("usage: %s\n\nLists the traces in the cache (default ./%s), newest first.\n"
                   "--follow prints each trace that appears (or is replaced) until interrupted.\n",
                   USAGE, DEFAULT_CACHE);
            return 0;
        default: return tp_bad_option("logs", USAGE, c, argv);
        }
    }
    if (optind != argc)
        return tp_usage_error("logs", USAGE, "unexpected argument", argv[optind]);
    return -1;
}

int cmd_logs(int argc, char **argv)
{
    struct logs_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.follow)
        return follow(&a);
    struct listing l = {NULL, 0, 0};
    rc = 0;
    if (scan_dir(&l, &a) != 0) {
        fprintf(stderr, "tph: %s: cannot list: %s at byte 0\n", a.dir, strerror(errno));
        rc = 1;
    } else {
        if (l.count > 1)
            qsort(l.items, l.count, sizeof *l.items, compare_entries);
        tp_buf out = TP_BUF_INIT;
        render(&out, &a, &l);
        if (!a.json)
            mention_fallback(&out, &a);
        if (a.use_pager && !a.json)
            tp_pager_start();
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        tp_pager_finish();
        tp_buf_free(&out);
    }
    for (size_t i = 0; i < l.count; i++)
        entry_free(&l.items[i]);
    free(l.items);
    return rc;
}
