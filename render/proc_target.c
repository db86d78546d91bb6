#include "proc_target.h"

#include "config.h"
#include "trace_name.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENVIRON (4u << 20)

/* Reads a whole /proc file (up to `limit` bytes); NULL with errno set. */
static char *read_proc(pid_t pid, const char *what, size_t limit, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    tp_buf b = TP_BUF_INIT;
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len < limit)
        tp_buf_append(&b, chunk, (size_t)n);
    int error = n < 0 ? errno : b.failed ? ENOMEM : 0;
    close(fd);
    if (error) {
        tp_buf_free(&b);
        errno = error;
        return NULL;
    }
    *len = b.len;
    tp_buf_reserve(&b, 1);
    if (b.data)
        b.data[b.len] = '\0';
    return b.data ? b.data : calloc(1, 1);
}

static void explain(tp_buf *err, const tp_target *t, const char *what, int error)
{
    if (error == ENOENT || error == ESRCH)
        tp_buf_printf(err, "PID %d: no such process", (int)t->pid);
    else if (error == EACCES || error == EPERM)
        tp_buf_printf(err, "PID %d (%s): not permitted to read /proc/%d/%s: it belongs to uid %u; "
                      "run tph as that user or as root", (int)t->pid, t->comm, (int)t->pid, what,
                      (unsigned)t->uid);
    else
        tp_buf_printf(err, "PID %d: /proc/%d/%s: %s", (int)t->pid, (int)t->pid, what, strerror(error));
}

/* From field 22 of /proc/PID/stat (clock ticks after boot), which
 * follows the command name in parentheses (that may hold anything). */
static long age_ms(pid_t pid)
{
    size_t len;
    char *stat_text = read_proc(pid, "stat", 4096, &len);
    const char *p = stat_text ? strrchr(stat_text, ')') : NULL;
    unsigned long long start = 0;
    bool found = p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
                                    "%*d %*d %*d %*d %llu", &start) == 1;
    free(stat_text);
    struct timespec now;
    long ticks = sysconf(_SC_CLK_TCK);
    if (!found || ticks <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    long long since_boot_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    return (long)(since_boot_ms - (long long)(start * 1000 / (unsigned long long)ticks));
}

static void read_identity(tp_target *t)
{
    char path[64];
    struct stat st;
    size_t len;
    snprintf(path, sizeof path, "/proc/%d", (int)t->pid);
    t->uid = stat(path, &st) == 0 ? st.st_uid : (uid_t)-1;
    struct stat exe, self;
    snprintf(path, sizeof path, "/proc/%d/exe", (int)t->pid);
    t->runs_tph = stat(path, &exe) == 0 && stat("/proc/self/exe", &self) == 0 &&
                  exe.st_dev == self.st_dev && exe.st_ino == self.st_ino;
    t->age_ms = age_ms(t->pid);
    char *comm = read_proc(t->pid, "comm", 256, &len);
    snprintf(t->comm, sizeof t->comm, "%s", comm ? comm : "?");
    t->comm[strcspn(t->comm, "\n")] = '\0';
    free(comm);
}

/* The preload and a core show up as mapped files. */
static int read_maps(tp_target *t, tp_buf *err)
{
    size_t len;
    char *maps = read_proc(t->pid, "maps", SIZE_MAX, &len);
    if (!maps) {
        explain(err, t, "maps", errno);
        return -1;
    }
    t->has_preload = strstr(maps, "/libtracepatch.so\n") != NULL;
    t->has_core = strstr(maps, "/libtracepatch-core-cp3") != NULL;
    free(maps);
    return 0;
}

int tp_target_open(tp_target *t, pid_t pid, tp_buf *err)
{
    *t = (tp_target){.pid = pid};
    read_identity(t);
    if (read_maps(t, err) != 0)
        return -1;
    t->environ = read_proc(pid, "environ", MAX_ENVIRON, &t->environ_len);
    if (!t->environ) {
        explain(err, t, "environ", errno);
        return -1;
    }
    char link[64], cwd[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%d/cwd", (int)pid);
    ssize_t n = readlink(link, cwd, sizeof cwd - 1);
    if (n < 0) {
        explain(err, t, "cwd", errno);
        return -1;
    }
    cwd[n] = '\0';
    t->cwd = strdup(cwd);
    if (!t->cwd) {
        tp_buf_printf(err, "PID %d: out of memory", (int)pid);
        return -1;
    }
    return 0;
}

/* Bit `signo` of the mask on the status line `key` ("SigCgt:"). */
static bool status_bit(const char *status, const char *key, int signo)
{
    const char *line = status ? strstr(status, key) : NULL;
    unsigned long long mask = 0;
    return line && sscanf(line + strlen(key), "%llx", &mask) == 1 && signo >= 1 && signo <= 64 &&
           (mask >> (signo - 1) & 1);
}

tp_signal_use tp_target_signal_use(pid_t pid, int signo)
{
    size_t len;
    char *status = read_proc(pid, "status", 1 << 16, &len);
    tp_signal_use use = status_bit(status, "\nSigCgt:", signo)   ? TP_SIGNAL_CAUGHT
                        : status_bit(status, "\nSigIgn:", signo) ? TP_SIGNAL_IGNORED
                                                                 : TP_SIGNAL_DEFAULT;
    free(status);
    return use;
}

const char *tp_target_getenv(const tp_target *t, const char *name)
{
    size_t name_len = strlen(name);
    for (size_t i = 0; i < t->environ_len; i += strlen(t->environ + i) + 1) {
        const char *entry = t->environ + i;
        if (strncmp(entry, name, name_len) == 0 && entry[name_len] == '=')
            return entry + name_len + 1;
    }
    return NULL;
}

/* tp_config_load takes a getenv-like function without context: this is
 * the target whose environment it reads, set only for the duration of
 * tp_target_config (tph is single-threaded). */
static const tp_target *config_target;

static const char *target_getenv(const char *name)
{
    return tp_target_getenv(config_target, name);
}

static void ignore_report(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;   /* the target reported its own config problems */
}

int tp_target_config(tp_target *t, tp_buf *err)
{
    tp_config cfg;
    tp_config_init(&cfg);
    config_target = t;
    int rc = tp_config_load(&cfg, t->cwd, target_getenv, ignore_report, NULL);
    config_target = NULL;
    if (rc != 0 || !cfg.cache_dir) {
        tp_buf_printf(err, "PID %d: out of memory reading its configuration", (int)t->pid);
        tp_config_free(&cfg);
        return -1;
    }
    t->signal = cfg.signal;
    tp_buf dir = TP_BUF_INIT;
    if (cfg.cache_dir[0] != '/')
        tp_buf_printf(&dir, "%s/", t->cwd);
    tp_buf_puts(&dir, cfg.cache_dir);
    t->cache_dir = dir.failed ? NULL : strdup(tp_buf_cstr(&dir));
    tp_buf_reset(&dir);
    if (cfg.fallback_dir && cfg.fallback_dir[0] != '/')
        tp_buf_printf(&dir, "%s/", t->cwd);   /* relative: to its working directory */
    bool fallback = tp_fallback_dir_of(&dir, cfg.fallback_dir, tp_target_getenv(t, "TMPDIR"),
                                       t->uid);
    t->fallback_dir = fallback && !dir.failed ? strdup(tp_buf_cstr(&dir)) : NULL;
    tp_buf_free(&dir);
    tp_config_free(&cfg);
    if (!t->cache_dir || (fallback && !t->fallback_dir)) {
        tp_buf_printf(err, "PID %d: out of memory", (int)t->pid);
        return -1;
    }
    return 0;
}

void tp_target_free(tp_target *t)
{
    free(t->cwd);
    free(t->environ);
    free(t->cache_dir);
    free(t->fallback_dir);
}
