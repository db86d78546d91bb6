#include "tph_run.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *data = malloc(cap + 1);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(data, cap * 2 + 1);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (data) {
        data[n] = '\0';
        if (len)
            *len = n;
    }
    return data;
}

static int temp_file(char *path_template)
{
    int fd = mkstemp(path_template);
    if (fd >= 0)
        unlink(path_template);
    return fd;
}

static char *slurp_fd(int fd, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    lseek(fd, 0, SEEK_SET);
    char *data = read_whole_file(path, len);
    if (!data) {
        data = calloc(1, 1);
        *len = 0;
    }
    return data;
}

tph_result tph_run(const char *cwd, const char *const *args)
{
    tph_result r = {.status = -1};
    char out_path[] = "/tmp/tph-out-XXXXXX", err_path[] = "/tmp/tph-err-XXXXXX";
    int out_fd = temp_file(out_path), err_fd = temp_file(err_path);
    size_t nargs = 0;
    while (args[nargs])
        nargs++;
    const char **argv = calloc(nargs + 2, sizeof *argv);
    pid_t pid = (out_fd >= 0 && err_fd >= 0 && argv) ? fork() : -1;
    if (pid == 0) {
        argv[0] = TPH_PATH;
        memcpy(argv + 1, args, nargs * sizeof *argv);
        int null_fd = open("/dev/null", O_RDONLY);
        if (chdir(cwd) != 0 || null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0
            || dup2(err_fd, 2) < 0)
            _exit(126);
        unsetenv("NO_COLOR");
        execv(TPH_PATH, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid)
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp_fd(out_fd, &r.out_len);
    r.err = slurp_fd(err_fd, &r.err_len);
    free(argv);
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    return r;
}

void tph_result_free(tph_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
