/* tph lines: how one line-mode call's steps or summary are written. */
#ifndef TPH_LINES_PRINT_H
#define TPH_LINES_PRINT_H

#include "lines_data.h"

#include <stdio.h>

/* "N steps, variables: MODE" (and the summary's line count). */
void tp_lines_print_counts(const tp_lines *l, bool summary, FILE *out);

/* The step log: `  #N  +T  file:line  source`, the variables below. */
void tp_lines_print_steps(const tp_lines *l, const char *file, FILE *out);

/* Each line once: `  line  xHITS  source`, the sampled values below. */
void tp_lines_print_summary(const tp_lines *l, FILE *out);

#endif
