/* tph view: everything in a trace's header. */
#include "cli.h"
#include "commands.h"
#include "format_time.h"
#include "json_value.h"
#include "pager.h"
#include "reader.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define USAGE "tph view FILE [--json] [--no-pager]"

static void put_line(tp_buf *out, const char *label, const char *value)
{
    tp_buf_printf(out, "%-11s ", label);
    tp_text_append(out, value ? value : "-");
    tp_buf_putc(out, '\n');
}

static void put_value_line(tp_buf *out, const tp_header *h, const char *label, const char *key)
{
    tp_buf value = TP_BUF_INIT;
    yajl_val v = tp_header_get(h, key);
    if (v && !YAJL_IS_NULL(v))
        tp_value_append(&value, v, true);
    put_line(out, label, value.len ? tp_buf_cstr(&value) : NULL);
    tp_buf_free(&value);
}

static void put_command_line(tp_buf *out, const tp_header *h)
{
    yajl_val argv = tp_header_get(h, "argv");
    tp_buf text = TP_BUF_INIT;
    for (size_t i = 0; YAJL_IS_ARRAY(argv) && i < argv->u.array.len; i++) {
        if (i)
            tp_buf_putc(&text, ' ');
        tp_value_append(&text, argv->u.array.values[i], true);
    }
    put_line(out, "Command:", text.len ? tp_buf_cstr(&text) : NULL);
    tp_buf_free(&text);
}

static void put_duration(tp_buf *out, const tp_header *h)
{
    double ms;
    char text[64] = "-";
    if (tp_header_num(h, "duration_ms", &ms))
        tp_format_elapsed(ms, text, sizeof text);
    put_line(out, "Duration:", text);
}

static void put_limits(tp_buf *out, const tp_header *h)
{
    bool limited = false;
    int64_t dropped = 0;
    const char *reason = tp_header_str(h, "limit_reason");
    tp_header_bool(h, "was_limited", &limited);
    bool has_dropped = tp_header_int(h, "dropped_calls", &dropped);
    tp_buf text = TP_BUF_INIT;
    tp_buf_puts(&text, limited ? "yes" : "no");
    if (reason)
        tp_buf_printf(&text, " (%s)", reason);
    put_line(out, "Limited:", tp_buf_cstr(&text));
    tp_buf_reset(&text);
    if (has_dropped)
        tp_buf_printf(&text, "%lld", (long long)dropped);
    put_line(out, "Dropped:", has_dropped ? tp_buf_cstr(&text) : NULL);
    tp_buf_free(&text);
}

static void put_object(tp_buf *out, const tp_header *h, const char *title, const char *key)
{
    yajl_val obj = tp_header_get(h, key);
    if (!YAJL_IS_OBJECT(obj))
        return;
    tp_buf_printf(out, "\n%s\n", title);
    for (size_t i = 0; i < obj->u.object.len; i++) {
        tp_buf_puts(out, "  ");
        tp_text_append(out, obj->u.object.keys[i]);
        tp_buf_puts(out, ": ");
        tp_value_append(out, obj->u.object.values[i], true);
        tp_buf_putc(out, '\n');
    }
}

static yajl_val row_field(yajl_val row, const char *key)
{
    const char *path[] = {key, NULL};
    return YAJL_IS_OBJECT(row) ? yajl_tree_get(row, path, yajl_t_any) : NULL;
}

/* A header array of objects as a table: one column per key, the last one
 * unpadded. */
typedef struct table_column {
    const char *key, *heading;
    int width;
} table_column;

static void put_table(tp_buf *out, const tp_header *h, const char *array, const char *title,
                      const table_column *cols, int n_cols)
{
    yajl_val rows = tp_header_get(h, array);
    if (!YAJL_IS_ARRAY(rows) || rows->u.array.len == 0)
        return;
    tp_buf_printf(out, "\n%s\n ", title);
    for (int k = 0; k < n_cols; k++)
        tp_buf_printf(out, " %-*s", k + 1 < n_cols ? cols[k].width : 0, cols[k].heading);
    tp_buf_putc(out, '\n');
    for (size_t i = 0; i < rows->u.array.len; i++) {
        tp_buf_puts(out, " ");
        for (int k = 0; k < n_cols; k++) {
            tp_buf cell = TP_BUF_INIT;
            tp_value_append(&cell, row_field(rows->u.array.values[i], cols[k].key), true);
            tp_buf_printf(out, " %-*s", k + 1 < n_cols ? cols[k].width : 0, tp_buf_cstr(&cell));
            tp_buf_free(&cell);
        }
        while (out->len && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        tp_buf_putc(out, '\n');
    }
}

static void put_threads(tp_buf *out, const tp_header *h)
{
    static const table_column cols[] = {
        {"id", "ID", 20}, {"native_id", "NATIVE", 10}, {"call_count", "CALLS", 8},
        {"name", "NAME", 0}};
    put_table(out, h, "threads", "Threads:", cols, 4);
}

/* Classes whose own __repr__ used up repr_budget_ms, so that their later
 * values read <module.Class object at 0x...>. */
static void put_repr_over_budget(tp_buf *out, const tp_header *h)
{
    static const table_column cols[] = {
        {"ms", "MS", 10}, {"calls", "CALLS", 8}, {"class", "CLASS", 0}};
    put_table(out, h, "repr_over_budget",
              "Classes over repr_budget_ms (later values read <CLASS object at 0x...>):", cols, 3);
}

static void render_view(tp_buf *out, const char *path, const tp_header *h)
{
    put_line(out, "File:", path);
    put_value_line(out, h, "Label:", "label");
    put_value_line(out, h, "Trace id:", "trace_id");
    put_value_line(out, h, "Time:", "timestamp");
    put_value_line(out, h, "Pid:", "pid");
    put_command_line(out, h);
    put_value_line(out, h, "Python:", "python_version");
    put_value_line(out, h, "Host:", "hostname");
    put_value_line(out, h, "Platform:", "platform");
    put_value_line(out, h, "Directory:", "working_directory");
    put_value_line(out, h, "Trigger:", "trigger");
    put_value_line(out, h, "End reason:", "end_reason");
    put_duration(out, h);
    put_value_line(out, h, "Calls:", "call_count");
    put_limits(out, h);
    put_value_line(out, h, "Written by:", "tracepatch_version");
    put_object(out, h, "Config:", "config");
    put_object(out, h, "Stats:", "stats");
    put_threads(out, h);
    put_repr_over_budget(out, h);
}

int cmd_view(int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"no-pager", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, use_pager = true;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'P': use_pager = false; break;
        case 'h': printf("usage: %s\n\nShows everything in a trace's header.\n", USAGE); return 0;
        default: return tp_bad_option("view", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("view", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    const char *path = argv[optind];
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT, out = TP_BUF_INIT;
    tp_reader_callbacks cb = {.header_only = true};
    int rc = tp_read_trace(path, &cb, &h, &err);
    if (rc != 0) {
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    } else {
        if (json)
            tp_buf_printf(&out, "%s\n", tp_buf_cstr(&h.json));
        else
            render_view(&out, path, &h);
        if (use_pager && !json)
            tp_pager_start();
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        tp_pager_finish();
    }
    tp_buf_free(&err);
    tp_buf_free(&out);
    tp_header_free(&h);
    return rc == 0 ? 0 : 1;
}
