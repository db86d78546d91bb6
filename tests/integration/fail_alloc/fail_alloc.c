/* Preloaded into tph by test_faults_memory.py: the allocation numbered
 * TP_FAIL_ALLOC (from 1: malloc, calloc and realloc, in the order made)
 * fails with ENOMEM, as it would when the machine runs out, and only that
 * one. With TP_FAIL_ALLOC_COUNT=path the number of allocations made is
 * written there at exit, so that the test knows how many to try. */
#define _GNU_SOURCE
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
static atomic_int ready;

static int fails_now(void)
{
    if (!atomic_load(&ready)) {
        const char *at = getenv("TP_FAIL_ALLOC");
        fail_at = at ? strtoul(at, NULL, 10) : 0;
        atomic_store(&ready, 1);
    }
    if (atomic_fetch_add(&made, 1) + 1 != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    return fails_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fails_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fails_now() ? NULL : __libc_realloc(p, n);
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
