#include "node_match.h"

#include <fnmatch.h>
#include <math.h>
#include <string.h>

static bool has_text(const char *s)
{
    return s && *s;
}

double tp_node_elapsed_ms(const tp_node *n)
{
    if (n->has_elapsed)
        return n->elapsed_ms;
    if (n->has_start && n->has_end)
        return (n->end - n->start) * 1000.0;
    return NAN;
}

void tp_node_display_name(tp_buf *out, const tp_node *node)
{
    const char *fn = has_text(node->qualname) ? node->qualname
                   : has_text(node->name) ? node->name : NULL;
    tp_buf_reset(out);
    if (has_text(node->module)) {
        tp_buf_puts(out, node->module);
        if (fn)
            tp_buf_putc(out, '.');
    }
    if (fn)
        tp_buf_puts(out, fn);
    else if (!has_text(node->module))
        tp_buf_puts(out, "<unknown>");
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
