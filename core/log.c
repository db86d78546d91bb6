#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* What fd 2 was at the core's init: written once then, before any thread
 * of ours starts; read by any thread that logs. */
static dev_t stderr_dev;
static ino_t stderr_ino;
static bool stderr_known;

void tp_log_remember_stderr(void)
{
    struct stat st;
    stderr_known = fstat(STDERR_FILENO, &st) == 0;
    stderr_dev = st.st_dev;
    stderr_ino = st.st_ino;
}

bool tp_log_stderr_ok(void)
{
    struct stat st;
    if (fstat(STDERR_FILENO, &st) != 0)
        return false;
    if (stderr_known && st.st_dev == stderr_dev && st.st_ino == stderr_ino)
        return true;
    if (!S_ISREG(st.st_mode))
        return true;
    int flags = fcntl(STDERR_FILENO, F_GETFL);
    return flags >= 0 && (flags & O_APPEND);
}

/* One write(2) per line, so lines from several threads never interleave
 * and the app's own stdio buffers are never touched. */
static void vlog(const char *fmt, va_list ap)
{
    if (!tp_log_stderr_ok())
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "tracepatch[%d]: ", (int)getpid());
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    /* Python's signal handlers interrupt writes (no SA_RESTART), and a
     * pipe may take part of a line: finish it. */
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(STDERR_FILENO, line + done, len - done);
        if (w > 0)
            done += (size_t)w;
        else if (!(w < 0 && errno == EINTR))
            return; /* nowhere to report a failed report */
    }
}

void tp_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void tp_debug(const char *fmt, ...)
{
    const char *d = getenv("TRACEPATCH_DEBUG");
    if (!d || !*d || (d[0] == '0' && !d[1]))
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}
