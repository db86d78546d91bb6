/* Time on the recording path. Events are stamped in ticks (tp_ticks): the
 * CPU's time-stamp counter where the kernel itself keeps time with it
 * (clocksource "tsc": constant rate, synchronised across CPUs), else
 * CLOCK_MONOTONIC nanoseconds. Reading the counter is one instruction where
 * clock_gettime is a vDSO call, and every recorded call reads the clock
 * twice: a fifth of a traced fib(24) on 3.12 went there. A window keeps the
 * (ticks, ns) pairs of its start and end, and ticks become nanoseconds
 * linearly between them when the trace is written. */
#ifndef TP_CLOCK_H
#define TP_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

/* Monotonic nanoseconds: vDSO-backed, microsecond-accurate, never jumps. */
static inline uint64_t tp_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Whether ticks are the TSC: decided by tp_clock_choose at the first
 * window's opening (GIL held), before any tick is read; never changes
 * after, so any thread may read it. */
extern bool tp_clock_counts_tsc;

static inline uint64_t tp_ticks(void)
{
#if defined(__x86_64__)
    if (tp_clock_counts_tsc)
        return __rdtsc();
#endif
    return tp_now_ns();
}

typedef struct tp_clock_pair {
    uint64_t ticks, ns;
} tp_clock_pair;

/* Decides what ticks are, once per process. TRACEPATCH_CLOCK=monotonic
 * keeps clock_gettime (for tests, or a machine whose counter is suspect). */
void tp_clock_choose(void);
/* Both clocks, read together. */
tp_clock_pair tp_clock_now(void);
/* About how many ticks `ns` nanoseconds are: for limits and snapshot
 * times, never for what a trace says. */
uint64_t tp_clock_ticks_in(uint64_t ns);
/* A window from `a` to `b` that lasted long enough sharpens that estimate. */
void tp_clock_learn(const tp_clock_pair *a, const tp_clock_pair *b);
/* What a trace says: the nanoseconds of a tick reading, and of a tick
 * duration, within the window from `a` to `b`. */
uint64_t tp_clock_ns_at(const tp_clock_pair *a, const tp_clock_pair *b, uint64_t ticks);
uint64_t tp_clock_ns_of(const tp_clock_pair *a, const tp_clock_pair *b, uint64_t ticks);

#endif
