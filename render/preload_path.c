#include "preload_path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TPH_PKGLIBDIR
#define TPH_PKGLIBDIR "../lib/tracepatch"
#endif

#define LIBRARY "libtracepatch.so"

/* The directory holding the running executable, from /proc/self/exe. */
static bool own_dir(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0)
        return false;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

static bool try_place(tp_buf *out, tp_buf *tried, const char *dir, const char *sub)
{
    char candidate[PATH_MAX * 2], resolved[PATH_MAX];
    if (sub[0] == '/')
        snprintf(candidate, sizeof candidate, "%s/%s", sub, LIBRARY);
    else
        snprintf(candidate, sizeof candidate, "%s/%s/%s", dir, sub, LIBRARY);
    if (realpath(candidate, resolved) && access(resolved, R_OK) == 0) {
        tp_buf_reset(out);
        tp_buf_puts(out, resolved);
        return true;
    }
    tp_buf_printf(tried, "%s%s", tried->len ? ", " : "", candidate);
    return false;
}

bool tp_find_preload(tp_buf *out)
{
    char dir[PATH_MAX];
    tp_buf tried = TP_BUF_INIT;
    bool found = false;
    if (!own_dir(dir, sizeof dir))
        tp_buf_puts(&tried, "/proc/self/exe (unreadable)");
    else
        found = try_place(out, &tried, dir, "../preload") ||
                try_place(out, &tried, dir, TPH_PKGLIBDIR);
    if (!found) {
        tp_buf_reset(out);
        tp_buf_puts(out, tp_buf_cstr(&tried));
    }
    tp_buf_free(&tried);
    return found;
}
