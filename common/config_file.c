/* Applying one config file: read it (bounded), check it is text, run inih
 * over the TOML reader's lines and hand each complete value to its key. */
#include "config_toml.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading ---- */

static int read_all(int fd, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        n += (size_t)got;
    }
    *len = n;
    return 0;
}

static int read_open_file(int fd, char **data, size_t *len, const char **why)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -1;
    if (!S_ISREG(st.st_mode)) {
        *why = "not a regular file";
        return -2;
    }
    if (st.st_size > TP_CONFIG_MAX_FILE_BYTES) {
        *why = "file too large (the limit is 1 MiB)";
        return -2;
    }
    /* Read one byte past the limit to notice a file that grew since fstat. */
    char *buf = malloc((size_t)st.st_size + 2);
    if (!buf)
        return -1;
    if (read_all(fd, buf, (size_t)st.st_size + 1, len) != 0) {
        free(buf);
        return -1;
    }
    if (*len > (size_t)st.st_size) {
        free(buf);
        *why = "file changed while being read";
        return -2;
    }
    buf[*len] = '\0';
    *data = buf;
    return 0;
}

int tp_config_read_file(const char *path, char **data, size_t *len, const char **why)
{
    /* O_NONBLOCK: a FIFO named as the config must not hang start-up. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    int rc = read_open_file(fd, data, len, why);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* ---- text check ---- */

static int line_of(const char *data, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    return line;
}

/* ---- values from inih lines ---- */

typedef struct file_parse {
    tp_config *cfg;
    tp_toml_reader *reader;
    tp_reporter *rep;
    bool is_array;
    bool have_item;
    char item_tag;          /* 's' string, 'v' bare token */
    tp_buf item;            /* the scalar, or the array element being received */
    tp_strlist elements;
    long non_string;        /* first bare element's index, or -1 */
    int seen_line[TP_CONFIG_MAX_KEYS];
    bool oom;
} file_parse;

static void clear_value(file_parse *fp)
{
    for (size_t i = 0; i < fp->elements.n; i++)
        free(fp->elements.items[i]);
    free(fp->elements.items);
    fp->elements.items = NULL;
    fp->elements.n = 0;
    fp->is_array = false;
    fp->have_item = false;
    fp->non_string = -1;
    tp_buf_reset(&fp->item);
}

/* Moves the element received so far into the array. */
static bool finish_element(file_parse *fp)
{
    if (!fp->is_array || !fp->have_item)
        return true;
    size_t n = fp->elements.n;
    char **items = realloc(fp->elements.items, (n + 1) * sizeof *items);
    if (!items)
        return false;
    fp->elements.items = items;
    if (fp->item.failed || !(items[n] = strdup(tp_buf_cstr(&fp->item))))
        return false;
    if (fp->item_tag == 'v' && fp->non_string < 0)
        fp->non_string = (long)n;
    fp->elements.n = n + 1;
    fp->have_item = false;
    return true;
}

static void apply_value(file_parse *fp, const char *name, const tp_value *v)
{
    int line = fp->reader->stmt_line;
    int i = tp_key_find(name);
    if (i < 0) {
        tp_report(fp->rep, line, name, "unknown key");
        return;
    }
    if (fp->seen_line[i]) {
        char msg[96];
        snprintf(msg, sizeof msg, "duplicate key (also set on line %d); the last one wins",
                 fp->seen_line[i]);
        tp_report(fp->rep, line, name, msg);
    }
    fp->seen_line[i] = line;
    tp_buf why = TP_BUF_INIT;
    tp_origin origin = {TP_ORIGIN_FILE, line};
    tp_parse_result result = tp_key_apply(fp->cfg, (size_t)i, v, origin, &why);
    if (result == TP_PARSE_NOMEM || why.failed)
        fp->oom = true;
    else if (result == TP_PARSE_INVALID)
        tp_report(fp->rep, line, name, tp_buf_cstr(&why));
    tp_buf_free(&why);
}

static void finish_value(file_parse *fp, const char *name)
{
    if (!finish_element(fp) || fp->item.failed) {
        fp->oom = true;
        return;
    }
    tp_value v = {0};
    if (fp->is_array) {
        v.kind = TP_VALUE_ARRAY;
        v.items = fp->elements.items;
        v.n_items = fp->elements.n;
        v.non_string = fp->non_string >= 0 ? fp->elements.items[fp->non_string] : NULL;
    } else {
        v.kind = fp->item_tag == 's' ? TP_VALUE_STRING : TP_VALUE_BARE;
        v.text = tp_buf_cstr(&fp->item);
    }
    apply_value(fp, name, &v);
}

static int on_ini_line(void *user, const char *section, const char *name, const char *value)
{
    file_parse *fp = user;
    if (strcmp(section, "") != 0 && strcmp(section, "tracepatch") != 0)
        return 1;
    switch (value[0]) {
    case '[':
        clear_value(fp);
        fp->is_array = true;
        break;
    case 's':
    case 'v':
        if (!finish_element(fp))
            fp->oom = true;
        tp_buf_reset(&fp->item);
        fp->item_tag = value[0];
        fp->have_item = true;
        tp_toml_decode_payload(value + 1, &fp->item);
        break;
    case '+':
        tp_toml_decode_payload(value + 1, &fp->item);
        break;
    case '.':
        finish_value(fp, name);
        clear_value(fp);
        break;
    }
    return 1;
}

/* ---- one file ---- */

static bool is_text(const char *data, size_t len, tp_file_kind kind, tp_reporter *rep)
{
    bool is_nul = false;
    size_t bad = tp_scan_first_bad_byte(data, len, &is_nul);
    if (bad == len)
        return true;
    /* A pyproject.toml may belong to other tools: not ours to judge. */
    if (kind == TP_FILE_TRACEPATCH)
        tp_report(rep, line_of(data, bad), NULL,
                  is_nul ? "not a text file (NUL byte); file ignored"
                         : "not valid UTF-8; file ignored");
    return false;
}

int tp_config_apply_text(tp_config *cfg, const char *data, size_t len, tp_file_kind kind,
                         tp_reporter *rep, bool *has_table)
{
    *has_table = false;
    if (!is_text(data, len, kind, rep))
        return 0;
    *has_table = kind == TP_FILE_TRACEPATCH;
    tp_toml_reader reader;
    tp_toml_reader_init(&reader, data, len, kind, rep);
    file_parse fp = {.cfg = cfg, .reader = &reader, .rep = rep, .non_string = -1};
    int rc = ini_parse_stream(tp_toml_read_line, &reader, on_ini_line, &fp);
    bool oom = reader.oom || fp.oom || rc == -2;
    if (kind == TP_FILE_PYPROJECT)
        *has_table = reader.has_table;
    clear_value(&fp);
    tp_buf_free(&fp.item);
    tp_toml_reader_free(&reader);
    return oom ? -1 : 0;
}
