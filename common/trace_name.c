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
        size_t kept = 0;
        for (size_t i = 0; label[i] && kept < LABEL_MAX; i++) {
            char c = label[i];
            if (((unsigned char)c & 0xC0) == 0x80)
                continue;   /* the rest of a UTF-8 character already replaced */
            kept++;
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

bool tp_fallback_dir_of(tp_buf *out, const char *setting, const char *tmpdir, uid_t euid)
{
    if (setting && strcmp(setting, "none") == 0)
        return false;
    if (setting)
        tp_buf_puts(out, setting);
    else
        tp_fallback_dir_default(out, tmpdir, euid);
    return true;
}

void tp_fallback_dir_default(tp_buf *out, const char *tmpdir, uid_t euid)
{
    if (!tmpdir || tmpdir[0] != '/')
        tmpdir = "/tmp";
    size_t len = strlen(tmpdir);
    while (len > 1 && tmpdir[len - 1] == '/')
        len--;
    tp_buf_append(out, tmpdir, len == 1 ? 0 : len);
    tp_buf_printf(out, "/tracepatch-%lu", (unsigned long)euid);
}
