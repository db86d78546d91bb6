#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tp_usage_error(const char *command, const char *usage, const char *problem,
                   const char *detail)
{
    if (detail)
        fprintf(stderr, "tph %s: %s '%s'\n", command, problem, detail);
    else
        fprintf(stderr, "tph %s: %s\n", command, problem);
    fprintf(stderr, "usage: %s\n", usage);
    return 2;
}

int tp_bad_option(const char *command, const char *usage, int result, char **argv)
{
    /* A long option is named by its argv word; a short one by optopt. */
    const char *word = argv[optind - 1];
    char short_opt[3] = {'-', (char)optopt, '\0'};
    const char *opt = (optopt && strncmp(word, "--", 2) != 0) ? short_opt : word;
    if (result == ':')
        return tp_usage_error(command, usage, "option needs a value:", opt);
    return tp_usage_error(command, usage, "unknown option", opt);
}

bool tp_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool tp_parse_nonneg(const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < 0)
        return false;
    *out = v;
    return true;
}
