/* Runs the tph binary under test and captures what it printed. */
#ifndef TPH_RUN_H
#define TPH_RUN_H

#include <stddef.h>

typedef struct tph_result {
    int status;          /* exit status, or 128 + signal */
    char *out, *err;     /* NUL-terminated, never NULL */
    size_t out_len, err_len;
} tph_result;

/* Runs TPH_PATH with `args` (NULL-terminated, without argv[0]) in
 * directory `cwd`, stdin from /dev/null, NO_COLOR unset. */
tph_result tph_run(const char *cwd, const char *const *args);
void tph_result_free(tph_result *r);

/* Reads a whole file; NULL if it cannot. */
char *read_whole_file(const char *path, size_t *len);

#endif
