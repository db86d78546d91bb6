/* Small helpers every subcommand uses to read its command line. */
#ifndef TPH_CLI_H
#define TPH_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* Prints "tph COMMAND: PROBLEM" and the usage line to stderr; returns 2. */
int tp_usage_error(const char *command, const char *usage, const char *problem,
                   const char *detail);

/* Reports the option getopt_long just rejected (it returned '?' or ':',
 * with opterr = 0 and optstring starting with ':'); returns 2. */
int tp_bad_option(const char *command, const char *usage, int result, char **argv);

/* A decimal integer in [min, max]. */
bool tp_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* A finite number >= 0. */
bool tp_parse_nonneg(const char *text, double *out);

#endif
