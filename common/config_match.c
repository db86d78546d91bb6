/* Questions the core asks the configuration on every call it records. */
#include "config.h"

#include <string.h>

bool tp_module_matches(const tp_strlist *prefixes, const char *module)
{
    if (!module)
        return false;
    for (size_t i = 0; i < prefixes->n; i++) {
        const char *prefix = prefixes->items[i];
        if (prefix[0] != module[0])
            continue;   /* most prefixes: a module meets every one of them once */
        size_t n = strlen(prefix);
        /* A dot boundary: "a.b" covers "a.b.c" but not "a.bc". */
        if (n > 0 && strncmp(module, prefix, n) == 0 && (module[n] == '\0' || module[n] == '.'))
            return true;
    }
    return false;
}

bool tp_name_redacted(const tp_strlist *words, const char *name)
{
    if (!name)
        return false;
    for (size_t i = 0; i < words->n; i++)
        if (words->items[i][0] != '\0' && strcasestr(name, words->items[i]))
            return true;
    return false;
}
