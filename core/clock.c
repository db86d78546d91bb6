/* Ticks and their conversion (clock.h). The only architecture-specific
 * file of the core: x86-64's time-stamp counter. */
#include "clock.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "log.h"

bool tp_clock_counts_tsc;

/* Ticks per nanosecond, estimated; 1 when ticks are nanoseconds. Written
 * at window opening and closing (GIL held), read there only. */
static double ticks_per_ns = 1.0;

/* The kernel keeps time with the TSC only when it found it invariant and
 * synchronised across CPUs; then reading it ourselves is as good. */
static bool kernel_clock_is_tsc(void)
{
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource",
                  O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char name[16] = {0};
    ssize_t n = read(fd, name, sizeof name - 1);
    close(fd);
    return n >= 3 && strcmp(name, "tsc\n") == 0;
}

/* The CPU's counter runs at a constant rate whatever the CPU does, and
 * this process may read it. */
static bool tsc_invariant_and_readable(void)
{
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000007, &a, &b, &c, &d) || !(d & (1u << 8)))
        return false;   /* not invariant: its rate follows the CPU's */
    int mode = 0;
    return prctl(PR_GET_TSC, &mode, 0, 0, 0) == 0 && mode == PR_TSC_ENABLE;   /* else reading faults */
#else
    return false;
#endif
}

/* A first estimate of the rate: 200 us of both clocks (about 1e-4 off,
 * which a limit of 60 s turns into 6 ms). Closed windows refine it. */
static void measure_rate(void)
{
    tp_clock_pair a = tp_clock_now(), b;
    do
        b = tp_clock_now();
    while (b.ns - a.ns < 200000);
    ticks_per_ns = (double)(b.ticks - a.ticks) / (double)(b.ns - a.ns);
}

void tp_clock_choose(void)
{
    static bool chosen;   /* main thread, GIL held */
    if (chosen)
        return;
    chosen = true;
    const char *forced = getenv("TRACEPATCH_CLOCK");
    if (forced && strcmp(forced, "monotonic") == 0) {
        tp_debug("clock: monotonic (TRACEPATCH_CLOCK)");
        return;
    }
    /* "tsc": the counter even where the kernel keeps time another way (a
     * virtual machine told not to trust it, whose host keeps it invariant
     * anyway): the user vouches for it. */
    bool asked_tsc = forced && strcmp(forced, "tsc") == 0;
    if (forced && *forced && !asked_tsc)
        tp_log("TRACEPATCH_CLOCK: expected \"monotonic\", \"tsc\" or nothing, got \"%s\"; using the default clock",
               forced);
    tp_clock_counts_tsc = tsc_invariant_and_readable() && (asked_tsc || kernel_clock_is_tsc());
    if (asked_tsc && !tp_clock_counts_tsc)
        tp_log("TRACEPATCH_CLOCK=tsc: this CPU's time-stamp counter is not invariant or not readable; using clock_gettime");
    if (tp_clock_counts_tsc)
        measure_rate();
    tp_debug("clock: %s", tp_clock_counts_tsc ? "tsc" : "monotonic");
}

tp_clock_pair tp_clock_now(void)
{
    tp_clock_pair p;
    p.ns = tp_now_ns();
    p.ticks = tp_clock_counts_tsc ? tp_ticks() : p.ns;
    return p;
}

uint64_t tp_clock_ticks_in(uint64_t ns)
{
    double t = (double)ns * ticks_per_ns;
    return t >= (double)(UINT64_MAX / 2) ? UINT64_MAX / 2 : (uint64_t)t;
}

void tp_clock_learn(const tp_clock_pair *a, const tp_clock_pair *b)
{
    if (tp_clock_counts_tsc && b->ns > a->ns + 100000000 && b->ticks > a->ticks)
        ticks_per_ns = (double)(b->ticks - a->ticks) / (double)(b->ns - a->ns);
}

uint64_t tp_clock_ns_of(const tp_clock_pair *a, const tp_clock_pair *b, uint64_t ticks)
{
    if (b->ticks <= a->ticks || b->ns < a->ns)
        return 0;   /* no span to scale by */
    uint64_t span_ticks = b->ticks - a->ticks, span_ns = b->ns - a->ns;
    if (span_ticks == span_ns)
        return ticks;   /* ticks are nanoseconds */
    /* 64-bit mantissa on x86-64: well under a nanosecond off. */
    return (uint64_t)((long double)ticks * (long double)span_ns / (long double)span_ticks);
}

uint64_t tp_clock_ns_at(const tp_clock_pair *a, const tp_clock_pair *b, uint64_t ticks)
{
    return ticks <= a->ticks ? a->ns : a->ns + tp_clock_ns_of(a, b, ticks - a->ticks);
}
