/* tph config: the configuration a traced process started here would use,
 * each value with its origin, printed as a TOML file that could be used
 * as is. Problems go to stderr in the core's own words. */
#include "cli.h"
#include "commands.h"
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#define USAGE "tph config [--file PATH]"

/* Values shorter than this line their origin comments up. */
#define COMMENT_COLUMN 40

/* Counts what it prints: `ctx` is an unsigned. */
static void print_problem(void *ctx, const char *message)
{
    (*(unsigned *)ctx)++;
    fprintf(stderr, "tracepatch: %s\n", message);
}

static void put_searched(tp_buf *out, const tp_config *cfg)
{
    tp_buf_puts(out, "# Files looked at (the first found wins):\n");
    for (size_t i = 0; i < cfg->n_searched; i++)
        tp_buf_printf(out, "#   %s: %s\n", cfg->searched[i].path, cfg->searched[i].status);
    if (cfg->file)
        tp_buf_printf(out, "# Configuration file: %s\n", cfg->file);
    else
        tp_buf_puts(out, "# Configuration file: none (defaults and environment only)\n");
}

static void put_key(tp_buf *out, const tp_config *cfg, size_t i)
{
    size_t start = out->len;
    tp_buf_printf(out, "%s = ", tp_config_key_name(i));
    tp_config_format_value(cfg, i, out);
    size_t width = out->len - start;
    tp_buf_printf(out, "%*s# ", width < COMMENT_COLUMN ? (int)(COMMENT_COLUMN - width) : 2, "");
    tp_config_format_origin(cfg, i, out);
    tp_buf_putc(out, '\n');
}

static int show_config(const char *file)
{
    tp_config cfg;
    tp_config_init(&cfg);
    unsigned problems = 0;
    int rc = tp_config_load_from(&cfg, NULL, file, NULL, print_problem, &problems);
    tp_buf out = TP_BUF_INIT;
    put_searched(&out, &cfg);
    tp_buf_puts(&out, "\n");
    for (size_t i = 0; i < tp_config_key_count(); i++)
        put_key(&out, &cfg, i);
    int status = 0;
    if (rc != 0 || out.failed) {
        fprintf(stderr, "tph: config: out of memory\n");
        status = 1;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        perror("tph: config: stdout");
        status = 1;
    }
    tp_buf_free(&out);
    tp_config_free(&cfg);
    return status ? status : problems ? 1 : 0;   /* usable as a check */
}

int cmd_config(int argc, char **argv)
{
    static const struct option options[] = {
        {"file", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            file = optarg;
            break;
        case 'h':
            printf("usage: %s\n\nShows the effective configuration (tracepatch.toml or "
                   "[tool.tracepatch] in\npyproject.toml, searched from here upward; "
                   "TRACEPATCH_CONFIG; TRACEPATCH_<KEY>),\neach value with where it came "
                   "from. --file PATH reads PATH instead of searching.\n", USAGE);
            return 0;
        default:
            return tp_bad_option("config", USAGE, c, argv);
        }
    }
    if (optind != argc)
        return tp_usage_error("config", USAGE, "unexpected argument", argv[optind]);
    return show_config(file);
}
