#include "pager.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The running pager, -1 when none. Owned by the main thread (tph has no
 * other); set by tp_pager_start, cleared by tp_pager_finish. */
static pid_t pager_pid = -1;

static const char *pager_command(void)
{
    const char *cmd = getenv("TPH_PAGER");
    if (!cmd)
        cmd = getenv("PAGER");
    if (!cmd)
        cmd = "less";
    return cmd;
}

void tp_pager_start(void)
{
    const char *cmd = pager_command();
    if (pager_pid >= 0 || !isatty(STDOUT_FILENO) || !*cmd || strcmp(cmd, "cat") == 0)
        return;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        if (dup2(fds[0], STDIN_FILENO) < 0)
            _exit(127);
        setenv("LESS", "FRX", 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    if (dup2(fds[1], STDOUT_FILENO) < 0) {
        close(fds[1]);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return;
    }
    close(fds[1]);
    pager_pid = pid;
}

void tp_pager_finish(void)
{
    fflush(stdout);
    if (pager_pid < 0)
        return;
    close(STDOUT_FILENO);
    while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
        continue;
    pager_pid = -1;
}
