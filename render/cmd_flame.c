/* tph flame: a self-contained interactive SVG flame chart of a trace
 * (flame_layout.h: first pass; flame_svg.h: the drawing pass). */
#include "cli.h"
#include "commands.h"
#include "export.h"
#include "flame_layout.h"
#include "flame_svg.h"
#include "out_file.h"
#include "reader.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define USAGE "tph flame FILE [-o|--output OUT.svg]"

#define HELP \
    "Draws the trace as an interactive SVG (default OUT: flame.svg; - for stdout).\n" \
    "Every box is one call: x is time, rows are call depth, one band per thread,\n" \
    "colours stay the same per module. Open it in a browser: hover for arguments,\n" \
    "return value and time, click to zoom, Escape or Reset zoom to go back,\n" \
    "Search (or / or Ctrl-F) to highlight calls matching a regular expression.\n" \
    "A trace of more than 20,000 calls leaves out calls narrower than 0.1 pixel\n" \
    "at full width.\n"

static int draw(const char *path, const char *out_path)
{
    tp_flame_layout layout;
    tp_flame_layout_init(&layout);
    tp_header h;
    tp_header_init(&h);
    tp_buf err = TP_BUF_INIT;
    tp_reader_callbacks cb = {tp_flame_layout_begin, tp_flame_layout_end, &layout, false};
    int rc = tp_read_trace(path, &cb, &h, &err);
    if (rc == 0 && layout.failed) {
        tp_buf_printf(&err, "%s: out of memory at byte 0", path);
        rc = -1;
    }
    FILE *out = rc == 0 ? tp_out_open(out_path) : NULL;
    if (rc != 0)
        fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
    if (out) {
        tp_sink sink;
        tp_flame_result result = {0, 0};
        tp_sink_init(&sink, out);
        rc = tp_flame_write(path, &h, &layout, &sink, &result, &err);
        if (rc != 0)
            fprintf(stderr, "tph: %s\n", tp_buf_cstr(&err));
        bool written = tp_sink_finish(&sink);
        if (rc == 0 && !written)
            fprintf(stderr, "tph: %s: %s\n", out_path, strerror(sink.error));
        if (!tp_out_close(out, out_path, rc == 0 && written))
            rc = -1;
        else if (strcmp(out_path, "-") != 0)
            fprintf(stderr, "tph: wrote %s (%" PRIu64 " calls drawn, %" PRIu64 " too narrow to draw)\n",
                    out_path, result.drawn, result.too_narrow);
    } else {
        rc = -1;
    }
    tp_buf_free(&err);
    tp_header_free(&h);
    tp_flame_layout_free(&layout);
    return rc == 0 ? 0 : 1;
}

int cmd_flame(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = "flame.svg";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 'h': printf("usage: %s\n\n%s", USAGE, HELP); return 0;
        default: return tp_bad_option("flame", USAGE, c, argv);
        }
    }
    if (optind != argc - 1)
        return tp_usage_error("flame", USAGE, optind < argc ? "one FILE expected" : "missing FILE", NULL);
    return draw(argv[optind], out_path);
}
