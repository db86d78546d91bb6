/* tph export: a trace in another tool's format (see export.h). */
#include "cli.h"
#include "commands.h"
#include "export.h"
#include "out_file.h"
#include "reader.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define USAGE "tph export FILE -f|--format chrome|folded|speedscope|csv [-o|--output OUT]"

#define HELP \
    "Writes a trace in another tool's format (to stdout, or to OUT):\n" \
    "  chrome      Chrome trace-event JSON: Perfetto (ui.perfetto.dev), chrome://tracing\n" \
    "  folded      folded stacks, self time in microseconds: flamegraph.pl, inferno\n" \
    "  speedscope  speedscope's JSON (www.speedscope.app)\n" \
    "  csv         one row per call\n"

typedef int (*export_fn)(const char *, const tp_header *, tp_sink *, tp_buf *);

static const struct format {
    const char *name;
    export_fn run;
} formats[] = {
    {"chrome", tp_export_chrome},
    {"folded", tp_export_folded},
    {"speedscope", tp_export_speedscope},
    {"csv", tp_export_csv},
};

static const struct format *find_format(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

/* Reads the header, then writes the export; 0 or 1. */
static int export_file(const char *path, const struct format *fmt, const char *out_path)
{
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    tp_reader_callbacks header_only = {.header_only = true};
    int rc = tp_read_trace(path, &header_only, &h, &err);
    FILE *out = rc == 0 ? tp_out_open(out_path) : NULL;
    if (rc != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    if (out) {
        tp_sink sink;
        tp_sink_init(&sink, out);
        rc = fmt->run(path, &h, &sink, &err);
        if (rc != 0)
            fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
        bool written = tp_sink_finish(&sink);
        if (rc == 0 && !written)
            fprintf(stderr, "tph: %s: %s\n", out_path ? out_path : "<stdout>", strerror(sink.error));
        if (!tp_out_close(out, out_path, rc == 0 && written))
            rc = -1;
    } else {
        rc = -1;
    }
    tp_buf_free(&err);
    tp_header_free(&h);
    return rc == 0 ? 0 : 1;
}

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const struct format *fmt = NULL;
    const char *out_path = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hf:o:", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!(fmt = find_format(optarg)))
                return tp_usage_error("export", USAGE, "--format wants chrome, folded, speedscope or csv, got", optarg);
            break;
        case 'o': out_path = optarg; break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return 0;
        default: return tp_bad_option("export", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("export", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    if (!fmt)
        return tp_usage_error("export", USAGE, "missing --format", NULL);
    return export_file(argv[optind], fmt, out_path);
}
