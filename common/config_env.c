/* TRACEPATCH_<KEY> variables: applied after the file, each overriding one
 * key, read in the key's plain-text form (lists comma-separated). */
#include "config_internal.h"

#include <stdlib.h>

static const char *system_getenv(const char *name)
{
    return getenv(name);
}

int tp_config_apply_env(tp_config *cfg, tp_getenv_fn getenv_fn, tp_reporter *rep)
{
    if (!getenv_fn)
        getenv_fn = system_getenv;
    for (size_t i = 0; i < tp_key_count(); i++) {
        const char *name = tp_key_at(i)->env_name;
        const char *text = getenv_fn(name);
        if (!text)
            continue;
        tp_value v = {.kind = TP_VALUE_TEXT, .text = text};
        tp_buf why = TP_BUF_INIT;
        tp_origin origin = {TP_ORIGIN_ENV, 0};
        tp_parse_result result = tp_key_apply(cfg, i, &v, origin, &why);
        bool oom = result == TP_PARSE_NOMEM || why.failed;
        if (result == TP_PARSE_INVALID && !oom)
            tp_report(rep, 0, name, tp_buf_cstr(&why));
        tp_buf_free(&why);
        if (oom)
            return -1;
    }
    return 0;
}
