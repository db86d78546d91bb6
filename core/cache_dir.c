#include "cache_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char readme[] =
    "This folder holds call traces written by tracepatch (one JSON file per\n"
    "trace window). They can contain argument values: keep them private.\n"
    "\n"
    "    tph logs                    list them, newest first\n"
    "    tph tree FILE               show one as a call tree\n"
    "    tph clean --older-than 7d   remove those older than a week\n";

/* Creates the file only if it is not there; a failure here is not worth
 * losing a trace over. */
static void write_once(int dirfd, const char *name, const char *text)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    (void)n;
    close(fd);
}

/* mkdir -p with mode 0700 for what we create. */
static int make_dirs(const char *path)
{
    char tmp[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof tmp)
        return ENAMETOOLONG;
    memcpy(tmp, path, len + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
        return errno;
    return 0;
}

int tp_cache_dir_open(const char *path, tp_buf *why)
{
    int err = make_dirs(path);
    if (err) {
        tp_buf_printf(why, "cannot create %s: %s", path, strerror(err));
        return -1;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        /* O_NOFOLLOW|O_DIRECTORY on a symlink fails with ENOTDIR. */
        int err = errno;
        struct stat lst;
        bool link = (err == ELOOP || err == ENOTDIR) && lstat(path, &lst) == 0 &&
                    S_ISLNK(lst.st_mode);
        tp_buf_printf(why, "cannot open %s: %s", path,
                      link ? "it is a symlink (refused)" : strerror(err));
        return -1;
    }
    /* Not a directory someone else made for us to write into (a shared
     * working directory): they could delete or swap what we write. Root
     * can write anywhere, so this is checked by owner, not by access. */
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
        tp_buf_printf(why, "cannot use %s: it belongs to another user (refused)", path);
        close(fd);
        return -1;
    }
    write_once(fd, ".gitignore", "*\n");
    write_once(fd, "README", readme);
    return fd;
}
