#include "helpers.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void collect_report(void *ctx, const char *message)
{
    reports *r = ctx;
    cr_assert(strchr(message, '\n') == NULL, "a report must be one line: %s", message);
    if (r->n < MAX_REPORTS)
        r->lines[r->n++] = strdup(message);
}

void reports_free(reports *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->lines[i]);
    r->n = 0;
}

int reports_contain(const reports *r, const char *needle)
{
    for (int i = 0; i < r->n; i++)
        if (strstr(r->lines[i], needle))
            return 1;
    return 0;
}

char *make_temp_dir(void)
{
    char *dir = strdup("/tmp/tp-config-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *path_join(const char *dir, const char *name)
{
    char *path;
    cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
    return path;
}

void write_bytes(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = path_join(dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    free(path);
}

void write_file(const char *dir, const char *name, const char *text)
{
    write_bytes(dir, name, text, strlen(text));
}

/* Test-only state: set and read by the test's own (single) thread. */
static const char *env_names[16];
static const char *env_values[16];
static size_t env_count;

void fake_env_clear(void)
{
    env_count = 0;
}

void fake_env_set(const char *name, const char *value)
{
    cr_assert(env_count < 16);
    env_names[env_count] = name;
    env_values[env_count++] = value;
}

const char *fake_getenv(const char *name)
{
    for (size_t i = 0; i < env_count; i++)
        if (strcmp(env_names[i], name) == 0)
            return env_values[i];
    return NULL;
}

char *load_toml(tp_config *cfg, reports *r, const char *toml)
{
    char *dir = make_temp_dir();
    write_file(dir, "tracepatch.toml", toml);
    tp_config_init(cfg);
    cr_assert_eq(tp_config_load(cfg, dir, fake_getenv, collect_report, r), 0);
    return dir;
}

static size_t key_index(const char *name)
{
    for (size_t i = 0; i < tp_config_key_count(); i++)
        if (strcmp(tp_config_key_name(i), name) == 0)
            return i;
    cr_assert_fail("no key %s", name);
    return 0;
}

char *value_of(const tp_config *cfg, const char *name)
{
    tp_buf b = TP_BUF_INIT;
    tp_config_format_value(cfg, key_index(name), &b);
    char *s = strdup(tp_buf_cstr(&b));
    tp_buf_free(&b);
    return s;
}

char *origin_of(const tp_config *cfg, const char *name)
{
    tp_buf b = TP_BUF_INIT;
    tp_config_format_origin(cfg, key_index(name), &b);
    char *s = strdup(tp_buf_cstr(&b));
    tp_buf_free(&b);
    return s;
}
