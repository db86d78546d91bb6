#include "node_match.h"

#include <fnmatch.h>
#include <string.h>

void tp_node_display_name(tp_buf *out, const tp_node *node)
{
    const char *fn = node->qualname ? node->qualname : node->name;
    tp_buf_reset(out);
    if (node->module && *node->module) {
        tp_buf_puts(out, node->module);
        if (fn)
            tp_buf_putc(out, '.');
    }
    if (fn)
        tp_buf_puts(out, fn);
    else if (!node->module || !*node->module)
        tp_buf_puts(out, "<unknown>");
    tp_buf_reserve(out, 0);
}

bool tp_pattern_match(const char *pattern, const char *display_name)
{
    if (strpbrk(pattern, "*?["))
        return fnmatch(pattern, display_name, 0) == 0;
    return strstr(display_name, pattern) != NULL;
}

uint64_t tp_function_key(const char *display_name)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)display_name; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}
