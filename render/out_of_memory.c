#include "out_of_memory.h"

#include "buf.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* Set by the thread that reads (each read sets the file; in `tph tui` its
 * loader thread, after the main thread set `before_exit`), read by
 * whichever thread runs out. The name is copied: the caller's may be a
 * buffer that moves on. */
static void (*before_exit)(void);
static char file[PATH_MAX];

void tp_oom_on_exit(void (*fn)(void))
{
    before_exit = fn;
}

void tp_oom_set_file(const char *name)
{
    snprintf(file, sizeof file, "%s", name ? name : "");
}

void tp_oom_exit(const uint64_t *at)
{
    if (before_exit)
        before_exit();
    fflush(stdout);
    if (*file && at)
        fprintf(stderr, "tph: %s: out of memory at byte %" PRIu64 "\n", file, *at);
    else if (*file)
        fprintf(stderr, "tph: %s: out of memory\n", file);
    else
        fprintf(stderr, "tph: out of memory\n");
    exit(1);
}

static void buffer_failed(void)
{
    tp_oom_exit(NULL);
}

void tp_oom_install(void)
{
    tp_buf_on_failure = buffer_failed;
}
