/* The configuration's life cycle: defaults, loading (file, then
 * environment), release, and the views `tph config` prints. */
#include "config_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tp_config_init(tp_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < tp_key_count(); i++) {
        tp_value v = {.kind = TP_VALUE_TEXT, .text = tp_key_at(i)->default_text};
        tp_buf why = TP_BUF_INIT;
        tp_origin origin = {TP_ORIGIN_DEFAULT, 0};
        /* Defaults are valid by construction; only memory can fail here. */
        if (tp_key_apply(cfg, i, &v, origin, &why) != TP_PARSE_OK)
            cfg->out_of_memory = true;
        tp_buf_free(&why);
    }
}

void tp_config_free(tp_config *cfg)
{
    tp_config_release_fields(cfg);
    free(cfg->file);
    free(cfg->loaded_in);
    for (size_t i = 0; i < cfg->n_searched; i++)
        free(cfg->searched[i].path);
    free(cfg->searched);
    memset(cfg, 0, sizeof *cfg);
}

static const char *system_getenv(const char *name)
{
    return getenv(name);
}

int tp_config_load_from(tp_config *cfg, const char *cwd, const char *explicit_path,
                        tp_getenv_fn getenv_fn, tp_config_report_fn report, void *ctx)
{
    if (!getenv_fn)
        getenv_fn = system_getenv;
    char *own_cwd = NULL;
    bool cwd_given = cwd != NULL;
    if (!cwd) {
        own_cwd = get_current_dir_name();
        if (!own_cwd && errno == ENOMEM)
            return -1;
        cwd = own_cwd ? own_cwd : ".";
    }
    const char *via = explicit_path ? NULL : "TRACEPATCH_CONFIG";
    const char *path = explicit_path ? explicit_path : getenv_fn("TRACEPATCH_CONFIG");
    int rc;
    if (path && path[0] != '\0')
        rc = tp_config_use_file(cfg, cwd, path, via, report, ctx);
    else
        rc = tp_config_search(cfg, cwd, report, ctx);
    free(cfg->loaded_in);
    cfg->loaded_in = cwd_given ? strdup(cwd) : own_cwd;   /* NULL if unknown: not an error */
    tp_reporter env = {report, ctx, NULL, 0};
    if (rc == 0)
        rc = tp_config_apply_env(cfg, getenv_fn, &env);
    tp_report_finish(&env);
    if (rc != 0)
        cfg->out_of_memory = true;
    return cfg->out_of_memory ? -1 : 0;
}

int tp_config_load(tp_config *cfg, const char *cwd, tp_getenv_fn getenv_fn,
                   tp_config_report_fn report, void *ctx)
{
    return tp_config_load_from(cfg, cwd, NULL, getenv_fn, report, ctx);
}

/* ---- reporting ---- */

void tp_report(tp_reporter *r, int line, const char *key, const char *message)
{
    if (!r->report || ++r->count > TP_CONFIG_MAX_REPORTS)
        return;
    tp_buf b = TP_BUF_INIT;
    if (r->file) {
        tp_buf_puts(&b, r->file);
        if (line > 0)
            tp_buf_printf(&b, ":%d", line);
        tp_buf_puts(&b, ": ");
    }
    if (key)
        tp_buf_printf(&b, "%s: ", key);
    tp_buf_puts(&b, message);
    /* One line, whatever a directory name holds. */
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char)b.data[i] < 0x20)
            b.data[i] = '?';
    if (!b.failed)
        r->report(r->ctx, b.data);
    tp_buf_free(&b);
}

void tp_report_finish(tp_reporter *r)
{
    if (!r->report || r->count <= TP_CONFIG_MAX_REPORTS)
        return;
    char message[64];
    snprintf(message, sizeof message, "%d more problems not shown",
             r->count - TP_CONFIG_MAX_REPORTS);
    r->count = 0;   /* so this line itself is not suppressed */
    tp_report(r, 0, NULL, message);
}

/* ---- introspection ---- */

size_t tp_config_key_count(void)
{
    return tp_key_count();
}

const char *tp_config_key_name(size_t i)
{
    return i < tp_key_count() ? tp_key_at(i)->name : NULL;
}

bool tp_config_is_set(const tp_config *cfg, const char *name)
{
    for (size_t i = 0; i < tp_key_count(); i++)
        if (strcmp(tp_key_at(i)->name, name) == 0)
            return cfg->origin[i].kind != TP_ORIGIN_DEFAULT;
    return false;
}

const char *tp_config_env_name(size_t i)
{
    return i < tp_key_count() ? tp_key_at(i)->env_name : NULL;
}

void tp_config_format_value(const tp_config *cfg, size_t i, tp_buf *out)
{
    if (i < tp_key_count())
        tp_key_at(i)->format((const char *)cfg + tp_key_at(i)->offset, out);
}

void tp_config_format_origin(const tp_config *cfg, size_t i, tp_buf *out)
{
    if (i >= tp_key_count())
        return;
    const tp_origin *origin = &cfg->origin[i];
    if (origin->kind == TP_ORIGIN_FILE && cfg->file)
        tp_buf_printf(out, "%s:%d", cfg->file, origin->line);
    else if (origin->kind == TP_ORIGIN_ENV)
        tp_buf_puts(out, tp_key_at(i)->env_name);
    else
        tp_buf_puts(out, "default");
}
