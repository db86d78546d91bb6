#include "out_file.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0;
}

FILE *tp_out_open(const char *path)
{
    if (is_stdout(path))
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "tph: %s: %s\n", path, strerror(errno));
    return f;
}

bool tp_out_close(FILE *f, const char *path, bool ok)
{
    if (is_stdout(path)) {
        if (fflush(f) != 0 && ok) {
            fprintf(stderr, "tph: <stdout>: %s\n", strerror(errno));
            ok = false;
        }
        return ok;
    }
    struct stat st;
    bool regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (fclose(f) != 0 && ok) {
        fprintf(stderr, "tph: %s: %s\n", path, strerror(errno));
        ok = false;
    }
    if (!ok && regular)
        unlink(path);
    return ok;
}
