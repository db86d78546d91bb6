/* Test shim for test_faults_files.py: plants a symlink at the trace
 * file's temporary name (FAULT_PLANT_TMP=target) just before the core
 * opens it, or at its final name (FAULT_PLANT_FINAL=target) just before
 * the rename, to prove neither redirects a write. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
static void plant(int dirfd, const char *path, const char *suffix, const char *var)
{
    const char *target = getenv(var);
    size_t n = strlen(path), m = strlen(suffix);
    if (target && n > m && strcmp(path + n - m, suffix) == 0 && strstr(path, "trace_"))
        symlinkat(target, dirfd, path);
}
#define OPENAT(name) \
int name(int dirfd, const char *path, int flags, ...) \
{ \
    static int (*real)(int, const char *, int, ...); \
    if (!real) real = dlsym(RTLD_NEXT, #name); \
    mode_t mode = 0; \
    if (flags & (O_CREAT | O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); } \
    plant(dirfd, path, ".json.tmp", "FAULT_PLANT_TMP"); \
    return real(dirfd, path, flags, mode); \
}
OPENAT(openat)
OPENAT(openat64)
int renameat(int od, const char *op, int nd, const char *np)
{
    static int (*real)(int, const char *, int, const char *);
    if (!real) real = dlsym(RTLD_NEXT, "renameat");
    plant(nd, np, ".json", "FAULT_PLANT_FINAL");
    return real(od, op, nd, np);
}
