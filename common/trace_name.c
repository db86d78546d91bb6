#include "trace_name.h"

#include <string.h>

#define LABEL_MAX 64

static struct tm local_tm(const struct timespec *t)
{
    struct tm tm;
    time_t secs = t->tv_sec;
    if (!localtime_r(&secs, &tm))
        memset(&tm, 0, sizeof tm);
    return tm;
}

void tp_trace_file_name(tp_buf *out, const struct timespec *start, const char *label, pid_t pid)
{
    struct tm tm = local_tm(start);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
    tp_buf_printf(out, "trace_%s_%06ld", stamp, (long)(start->tv_nsec / 1000));
    if (label && *label) {
        tp_buf_putc(out, '_');
        for (size_t i = 0; label[i] && i < LABEL_MAX; i++) {
            char c = label[i];
            bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
            tp_buf_putc(out, keep ? c : '_');
        }
    }
    tp_buf_printf(out, "_%d.json", (int)pid);
}

void tp_iso_timestamp(tp_buf *out, const struct timespec *t)
{
    struct tm tm = local_tm(t);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    tp_buf_printf(out, "%s.%06ld", stamp, (long)(t->tv_nsec / 1000));
}
