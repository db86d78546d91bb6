/* Children of tph setup: captured helpers (posix_spawnp and two pipes read
 * with poll) and the runner started with our own terminal. */
#include "setup_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Helpers print a few lines; a bound keeps a runaway one from eating memory. */
#define MAX_CAPTURE (16 * 1024 * 1024)

int tp_exec_wait(int pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Appends what is ready on fd; false at end of file. */
static bool drain(int fd, tp_buf *into)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    if (into && into->len < MAX_CAPTURE)
        tp_buf_append(into, chunk, (size_t)n);
    return true;
}

static void read_both(int out_fd, int err_fd, tp_buf *out, tp_buf *err)
{
    struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    tp_buf *into[2] = {out, err};
    int open_count = 2;
    while (open_count > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            if (!drain(fds[i].fd, into[i])) {
                fds[i].fd = -1;
                open_count--;
            }
        }
    }
}

static int spawn_piped(char *const argv[], int out_w, int err_w, pid_t *pid)
{
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0)
        return rc;
    rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&actions, out_w, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&actions, err_w, 2);
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

bool tp_exec_capture(char *const argv[], tp_buf *out, tp_buf *err, tp_exec_result *result)
{
    int out_pipe[2], err_pipe[2];
    *result = (tp_exec_result){false, 0, -1};
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        result->errno_value = errno;
        return true;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        result->errno_value = errno;
        close(out_pipe[0]);
        close(out_pipe[1]);
        return true;
    }
    pid_t pid;
    int rc = spawn_piped(argv, out_pipe[1], err_pipe[1], &pid);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc == 0) {
        read_both(out_pipe[0], err_pipe[0], out, err);
        result->status = tp_exec_wait(pid);
        result->started = true;
    } else {
        result->errno_value = rc;
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    return !(out && out->failed) && !(err && err->failed);
}

int tp_exec_spawn(char *const argv[], const char *cwd)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (cwd && chdir(cwd) != 0)
        _exit(126);
    execvp(argv[0], argv);
    _exit(errno == ENOENT ? 127 : 126);
}
