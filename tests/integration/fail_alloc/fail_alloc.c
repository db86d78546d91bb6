/* Preloaded by test_faults_memory.py: the allocation numbered
 * TP_FAIL_ALLOC (from 1: malloc, calloc, realloc, strdup and strndup, in
 * the order made) fails with ENOMEM, as it would when the machine runs
 * out, and only that one. With TP_FAIL_ALLOC_FROM=TEXT only allocations
 * called from a library whose path holds TEXT count (tracepatch's core in
 * a Python process). With TP_FAIL_ALLOC_COUNT=path the number of counted
 * allocations is written there at exit, so that the test knows how many
 * to try. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

/* Counted by every thread of the process; read once from the environment
 * (getenv allocates nothing) at the first allocation. */
static atomic_ulong made;
static unsigned long fail_at;
static const char *from;
static atomic_int ready;
/* The library TP_FAIL_ALLOC_FROM names, once a call came from it. */
static void *from_base;
/* dladdr may allocate: its own allocations are not looked at. */
static _Thread_local int looking;

static int counted(void *caller)
{
    if (!from)
        return 1;
    if (looking)
        return 0;
    looking = 1;
    Dl_info info;
    int yes = dladdr(caller, &info) && info.dli_fname &&
              (from_base ? info.dli_fbase == from_base : strstr(info.dli_fname, from) != NULL);
    if (yes)
        from_base = info.dli_fbase;
    looking = 0;
    return yes;
}

static int fails_now(void *caller)
{
    if (!atomic_load(&ready)) {
        const char *at = getenv("TP_FAIL_ALLOC");
        fail_at = at ? strtoul(at, NULL, 10) : 0;
        from = getenv("TP_FAIL_ALLOC_FROM");
        atomic_store(&ready, 1);
    }
    if (!counted(caller) || atomic_fetch_add(&made, 1) + 1 != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

#define CALLER __builtin_return_address(0)

void *malloc(size_t n)
{
    return fails_now(CALLER) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fails_now(CALLER) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fails_now(CALLER) ? NULL : __libc_realloc(p, n);
}

/* Inside libc they call malloc from libc: counted here, for their caller. */
char *strndup(const char *s, size_t max)
{
    if (fails_now(CALLER))
        return NULL;
    size_t n = strnlen(s, max);
    char *d = __libc_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *strdup(const char *s)
{
    if (fails_now(CALLER))
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = __libc_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void free(void *p)
{
    __libc_free(p);
}

__attribute__((destructor)) static void write_count(void)
{
    const char *path = getenv("TP_FAIL_ALLOC_COUNT");
    if (!path)
        return;
    char text[32];
    int len = snprintf(text, sizeof text, "%lu\n", (unsigned long)atomic_load(&made));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    ssize_t w = write(fd, text, (size_t)len);
    (void)w;
    close(fd);
}
