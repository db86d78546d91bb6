/* Writing tph setup's files and recording them. The state is written last,
 * after the files it lists; a path is recorded only if setup created it. */
#include "setup_install.h"

#include "setup_runner.h"
#include "setup_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Not thread-safe: tph is single-threaded while setting up (static buffer
 * for the working directory, filled once). */
const char *tp_shown_path(const char *path)
{
    static char cwd[4096];
    if (!cwd[0] && !getcwd(cwd, sizeof cwd))
        return path;
    size_t n = strlen(cwd);
    if (strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return strcmp(path, cwd) == 0 ? "." : path;
}

static int write_whole(const char *path, const char *data, size_t len, int flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | flags, 0644);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

/* Creates the cache directory, like the core does, if it is missing. */
static int make_cache_dir(const tp_project *p, tp_setup_state *s)
{
    if (mkdir(p->cache_dir, 0700) != 0) {
        if (errno == EEXIST)
            return 0;
        fprintf(stderr, "tph: setup: cannot create %s: %s\n", p->cache_dir, strerror(errno));
        return 1;
    }
    char *ignore = tp_project_path(p->cache_dir, ".gitignore");
    bool ok = ignore && tp_state_add(&s->dirs, p->cache_dir);
    if (ok && write_whole(ignore, "*\n", 2, O_EXCL) != 0) {
        fprintf(stderr, "tph: setup: %s: %s\n", ignore, strerror(errno));
        free(ignore);
        return 1;
    }
    ok = ok && tp_state_add(&s->files, ignore);
    free(ignore);
    if (!ok)
        fprintf(stderr, "tph: setup: out of memory\n");
    return ok ? 0 : 1;
}

/* An existing runner may be replaced only if tph setup wrote it. */
static bool ours(const char *path, const tp_setup_state *s)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return errno == ENOENT;
    char first[128] = "";
    bool marked = fgets(first, sizeof first, f) &&
                  strncmp(first, TP_RUNNER_MARK, strlen(TP_RUNNER_MARK)) == 0;
    fclose(f);
    return marked || tp_state_has(&s->files, path);
}

static int write_runner(const tp_project *p, const tp_buf *runner, tp_setup_state *s)
{
    char *path = tp_project_path(p->dir, TP_RUNNER_NAME);
    int rc = 1;
    if (!path)
        fprintf(stderr, "tph: setup: out of memory\n");
    else if (!ours(path, s))
        fprintf(stderr, "tph: setup: %s exists and was not written by tph setup; "
                "move it away first\n", tp_shown_path(path));
    else if (!tp_state_add(&s->files, path))
        fprintf(stderr, "tph: setup: out of memory\n");
    else if (write_whole(path, runner->data, runner->len, O_TRUNC) != 0)
        fprintf(stderr, "tph: setup: %s: %s\n", tp_shown_path(path), strerror(errno));
    else
        rc = 0;
    free(path);
    return rc;
}

int tp_setup_install(const tp_project *p, const tp_buf *runner)
{
    tp_setup_state s;
    int rc = tp_state_read(p->cache_dir, "setup", &s);
    if (rc < 0)
        return 1;
    rc = make_cache_dir(p, &s);
    if (rc == 0)
        rc = write_runner(p, runner, &s);
    /* What was made is recorded even when a later step failed, so that
     * `tph disable` removes it; nothing is recorded where the directory
     * could not be made. */
    if ((rc == 0 || s.dirs.n > 0) && tp_state_write(p->cache_dir, &s) != 0)
        rc = 1;
    tp_state_free(&s);
    return rc;
}
