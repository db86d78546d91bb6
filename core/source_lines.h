/* Source lines for line mode, read by the writer thread from the files
 * themselves (no Python needed). One cache per trace written. */
#ifndef TP_SOURCE_LINES_H
#define TP_SOURCE_LINES_H

#include <stddef.h>

typedef struct tp_source_file {
    char *path;
    char *data;            /* NULL: could not be read */
    size_t *starts;        /* offset of each line */
    size_t n_lines;
} tp_source_file;

typedef struct tp_source_cache {
    tp_source_file *files;
    size_t n, cap;
} tp_source_cache;

/* Line `lineno` (1-based) of `path`, without its indentation and end of
 * line; "" when unknown. Valid until the cache is freed. */
const char *tp_source_line(tp_source_cache *c, const char *path, int lineno, size_t *len);
/* Bytes [col, end_col) of that line, indentation included in the count,
 * without surrounding blanks (a statement of a multi-statement line); ""
 * when unknown or out of the line. */
const char *tp_source_cols(tp_source_cache *c, const char *path, int lineno, size_t col,
                           size_t end_col, size_t *len);
void tp_source_cache_free(tp_source_cache *c);

#endif
