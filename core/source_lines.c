#include "source_lines.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SOURCE (16u << 20)

/* Reads the whole file (up to MAX_SOURCE), NUL-terminated. */
static char *read_all(const char *path, size_t *len_out)
{
    FILE *fp = fopen(path, "rbe");
    if (!fp)
        return NULL;
    size_t cap = 64 * 1024, len = 0;
    char *data = malloc(cap + 1);
    while (data) {
        size_t n = fread(data + len, 1, cap - len, fp);
        len += n;
        if (n == 0 || len >= MAX_SOURCE)
            break;
        if (len == cap) {
            char *p = realloc(data, cap * 2 + 1);
            if (!p) {
                free(data);
                data = NULL;
                break;
            }
            data = p;
            cap *= 2;
        }
    }
    fclose(fp);
    if (data) {
        data[len] = '\0';
        *len_out = len;
    }
    return data;
}

static bool load(tp_source_file *f)
{
    size_t len = 0;
    char *data = read_all(f->path, &len);
    if (!data)
        return false;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    f->starts = malloc(lines * sizeof *f->starts);
    if (!f->starts) {
        free(data);
        return false;
    }
    f->starts[f->n_lines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n')
            f->starts[f->n_lines++] = i + 1;
    f->data = data;
    return true;
}

static tp_source_file *find(tp_source_cache *c, const char *path)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->files[i].path, path) == 0)
            return &c->files[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        tp_source_file *p = realloc(c->files, cap * sizeof *p);
        if (!p)
            return NULL;
        c->files = p;
        c->cap = cap;
    }
    tp_source_file *f = &c->files[c->n];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    if (!f->path)
        return NULL;
    c->n++;
    if (!load(f)) {
        free(f->data);
        f->data = NULL;
    }
    return f;
}

/* The whole line, end of line included; NULL when unknown. */
static const char *raw_line(tp_source_cache *c, const char *path, int lineno, size_t *len)
{
    tp_source_file *f = path ? find(c, path) : NULL;
    if (!f || !f->data || lineno < 1 || (size_t)lineno > f->n_lines)
        return NULL;
    size_t start = f->starts[lineno - 1];
    size_t end = (size_t)lineno < f->n_lines ? f->starts[lineno] : strlen(f->data + start) + start;
    *len = end - start;
    return f->data + start;
}

static const char *trimmed(const char *p, size_t n, size_t *len)
{
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *len = n;
    return p;
}

const char *tp_source_line(tp_source_cache *c, const char *path, int lineno, size_t *len)
{
    size_t n = 0;
    const char *p = raw_line(c, path, lineno, &n);
    *len = 0;
    return p ? trimmed(p, n, len) : "";
}

const char *tp_source_cols(tp_source_cache *c, const char *path, int lineno, size_t col,
                           size_t end_col, size_t *len)
{
    size_t n = 0;
    const char *p = raw_line(c, path, lineno, &n);
    *len = 0;
    /* Columns come from parsing the file as the interpreter read it: a
     * file changed since, or not in UTF-8, may not have them. */
    if (!p || col >= end_col || end_col > n)
        return "";
    return trimmed(p + col, end_col - col, len);
}

void tp_source_cache_free(tp_source_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->files[i].path);
        free(c->files[i].data);
        free(c->files[i].starts);
    }
    free(c->files);
    c->files = NULL;
    c->n = c->cap = 0;
}
