/* tph export's formats. Each writer streams the trace once (twice for
 * speedscope's per-thread profiles) and writes through a sink; the header
 * (read first, header only) names the process and its threads. */
#ifndef TPH_EXPORT_H
#define TPH_EXPORT_H

#include "buf.h"
#include "header.h"

#include <stdbool.h>
#include <stdio.h>

/* Buffered output to a FILE: text piles up in `buf` and is written in
 * large chunks. `failed` is set when a write or an allocation failed. */
typedef struct tp_sink {
    FILE *file;
    tp_buf buf;
    bool failed;
    int error;      /* errno of the first failure */
} tp_sink;

void tp_sink_init(tp_sink *s, FILE *file);
/* Writes `buf` out when it has grown past a chunk. */
void tp_sink_maybe_flush(tp_sink *s);
/* Writes everything out and frees the buffer; false on any failure. */
bool tp_sink_finish(tp_sink *s);

/* Each returns 0, or -1 with a one-line reason (no "tph: " prefix) in
 * `err`. `h` is the trace's header. */
int tp_export_chrome(const char *path, const tp_header *h, tp_sink *out, tp_buf *err);
int tp_export_folded(const char *path, const tp_header *h, tp_sink *out, tp_buf *err);
int tp_export_speedscope(const char *path, const tp_header *h, tp_sink *out, tp_buf *err);
int tp_export_csv(const char *path, const tp_header *h, tp_sink *out, tp_buf *err);

#endif
