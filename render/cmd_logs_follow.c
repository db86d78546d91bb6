#include "logs_follow.h"
#include "strmap.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define RETRY_MS 500    /* how often to look for a cache dir that is not there yet */

struct follow {
    const char *dir;
    int fd, watch;
    bool looked;        /* the directory has been looked for once */
    tp_strmap seen;     /* names present at the start or reported since */
    tp_follow_fn report;
    void *ctx;
};

static bool is_trace_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* false (errno ENOMEM) when the name could not be remembered. */
static bool on_name(struct follow *f, const char *name)
{
    if (!is_trace_name(name))
        return true;
    size_t ignored;
    bool added = false;
    if (!tp_strmap_intern(&f->seen, name, 0, &ignored, &added)) {
        errno = ENOMEM;
        return false;
    }
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", f->dir, name) >= (int)sizeof path)
        return true;
    f->report(path, !added, f->ctx);
    return true;
}

/* The files already in the directory: not news if it was there when we
 * began (remembered only), news if it appeared since (reported). false
 * (errno ENOMEM) when one could not be remembered. */
static bool take_existing(struct follow *f, bool news)
{
    DIR *d = opendir(f->dir);
    if (!d)
        return true;
    struct dirent *de;
    bool ok = true;
    while (ok && (de = readdir(d)) != NULL) {
        size_t ignored;
        bool added;
        if (news)
            ok = on_name(f, de->d_name);
        else if (is_trace_name(de->d_name))
            ok = tp_strmap_intern(&f->seen, de->d_name, 0, &ignored, &added);
    }
    closedir(d);
    if (!ok)
        errno = ENOMEM;
    return ok;
}

/* false when the directory is not there yet. */
static bool try_watch(struct follow *f)
{
    bool first = !f->looked;
    f->looked = true;
    f->watch = inotify_add_watch(f->fd, f->dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR);
    if (f->watch < 0)
        return false;
    return take_existing(f, !first);
}

/* Reads a batch of events; false on a read error. */
static bool drain(struct follow *f)
{
    alignas(struct inotify_event) char buf[16384];
    ssize_t n = read(f->fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    for (char *p = buf; p < buf + n;) {
        const struct inotify_event *ev = (const struct inotify_event *)p;
        if (ev->len > 0 && ev->wd == f->watch && !on_name(f, ev->name))
            return false;
        if (ev->mask & (IN_IGNORED | IN_DELETE_SELF))
            f->watch = -1;   /* the directory went away: wait for it again */
        p += sizeof *ev + ev->len;
    }
    return true;
}

int tp_logs_follow(const char *dir, tp_follow_fn report, void *ctx)
{
    struct follow f = {dir, -1, -1, false, TP_STRMAP_INIT, report, ctx};
    f.fd = inotify_init1(IN_CLOEXEC);
    if (f.fd < 0) {
        fprintf(stderr, "tph: %s: cannot watch: %s at byte 0\n", dir, strerror(errno));
        return 1;
    }
    int rc = 0;
    for (;;) {
        if (f.watch < 0 && !try_watch(&f) && errno != ENOENT) {
            fprintf(stderr, "tph: %s: cannot watch: %s at byte 0\n", dir, strerror(errno));
            rc = 1;
            break;
        }
        struct pollfd p = {f.fd, POLLIN, 0};
        int ready = poll(&p, 1, f.watch < 0 ? RETRY_MS : -1);
        if (ready < 0 && errno != EINTR) {
            fprintf(stderr, "tph: %s: cannot watch: %s at byte 0\n", dir, strerror(errno));
            rc = 1;
            break;
        }
        if (ready > 0 && !drain(&f)) {
            fprintf(stderr, "tph: %s: cannot read events: %s at byte 0\n", dir, strerror(errno));
            rc = 1;
            break;
        }
    }
    tp_strmap_free(&f.seen);
    close(f.fd);
    return rc;
}
