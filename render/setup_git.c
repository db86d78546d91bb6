/* Staged changes before tph setup writes: `git status --porcelain -z`,
 * up to 5 listed, then `Continue? [y/N]` asked on /dev/tty. */
#include "setup_git.h"

#include "setup_exec.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SHOWN 5

/* Lists the staged entries of porcelain v1 -z output; returns how many. */
static size_t list_staged(const tp_buf *status, bool print)
{
    size_t count = 0;
    const char *p = status->data, *end = status->data + status->len;
    while (p && p < end) {
        const char *entry = p;
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        p = nul ? nul + 1 : end;
        if (strlen(entry) < 4 || (size_t)(p - entry) < 4)
            continue;
        if (entry[0] == 'R' || entry[0] == 'C') {
            /* The original path follows as its own NUL-terminated field. */
            const char *next = memchr(p, '\0', (size_t)(end - p));
            p = next ? next + 1 : end;
        }
        if (strchr(" ?!", entry[0]))
            continue;
        if (print && count < SHOWN)
            fprintf(stderr, "  %c %s\n", entry[0], entry + 3);
        count++;
    }
    return count;
}

/* y or yes, any case; anything else (or nothing) is no. */
static bool ask(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return false;
    FILE *tty = fdopen(fd, "r+");
    if (!tty) {
        close(fd);
        return false;
    }
    fputs("Continue? [y/N] ", tty);
    fflush(tty);
    char line[64] = "";
    bool yes = false;
    if (fgets(line, sizeof line, tty)) {
        line[strcspn(line, "\r\n")] = '\0';
        yes = strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
    }
    fclose(tty);
    return yes;
}

static bool have_terminal(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0)
        close(fd);
    return fd >= 0;
}

int tp_setup_check_git(const char *dir, bool yes)
{
    char *argv[] = {"git", "-C", (char *)dir, "status", "--porcelain=v1", "-z",
                    "--untracked-files=no", NULL};
    tp_buf out = TP_BUF_INIT;
    tp_exec_result r;
    bool ok = tp_exec_capture(argv, &out, NULL, &r);
    /* No git, not a repository, or git failing: nothing to protect here. */
    size_t staged = ok && r.started && r.status == 0 ? list_staged(&out, false) : 0;
    if (staged == 0) {
        tp_buf_free(&out);
        return 0;
    }
    fprintf(stderr, "tph: setup: the git index in %s has staged changes:\n", dir);
    list_staged(&out, true);
    if (staged > SHOWN)
        fprintf(stderr, "  ... and %zu more\n", staged - SHOWN);
    tp_buf_free(&out);
    if (yes)
        return 0;
    if (!have_terminal()) {
        fprintf(stderr, "tph: setup: no terminal to ask on: commit or unstage them, or use "
                "--yes\n");
        return 1;
    }
    if (ask())
        return 0;
    fprintf(stderr, "tph: setup: stopped; nothing was written\n");
    return 1;
}
