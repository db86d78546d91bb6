"""Runs one workload in one mode inside the Python under test and prints
one JSON line. Used by bench/run.py; not meant to be run by hand, though
it can be:

    python3 bench/driver.py MODE WORKLOAD SIZE REPS HELPER.so [--cg]

MODE: plain (untraced, or ours when LD_PRELOAD opens a window at start-up),
noop (a C profile function that returns 0), noopeval (a frame evaluator
that only calls CPython's own), cprofile, pytrace.
--cg: one repetition, with callgrind collecting only around the workload
(run under valgrind --collect-atstart=no).
"""
import ctypes
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hotmod  # noqa: E402
import workloads  # noqa: E402


def hot_workload(size):
    return hotmod.fib(size) + hotmod.churn(size * 1000)


def main():
    mode, name, size, reps, helper_path = sys.argv[1:6]
    size, reps = int(size), int(reps)
    cg = "--cg" in sys.argv[6:]
    helper = ctypes.PyDLL(helper_path)
    work = hot_workload if name == "hot" else workloads.WORKLOADS[name]
    if mode == "cprofile":
        import cProfile
        prof = cProfile.Profile()
        on, off = prof.enable, prof.disable
    elif mode == "noop":
        on, off = helper.tpb_noop_on, helper.tpb_noop_off
    elif mode == "noopeval":
        on, off = helper.tpb_noopeval_on, helper.tpb_noopeval_off
    elif mode == "pytrace":
        import pytrace_recorder
        rec = pytrace_recorder.Recorder()
        on, off = rec.start, rec.stop
    else:
        on = off = None
    times = []
    clock = time.perf_counter
    for _ in range(1 if cg else reps):
        if cg:
            # Every mode starts the region with the collector's counts at
            # zero: a collection that falls inside it only because start-up
            # allocated a few more objects (3.10: ours 270K instructions
            # against none untraced) measures where the counts stood, not
            # what the mode costs.
            gc.collect()
            helper.tpb_cg_toggle()
        t0 = clock()
        if on:
            on()
        work(size)
        if off:
            off()
        t1 = clock()
        if cg:
            helper.tpb_cg_toggle()
        times.append(t1 - t0)
    sys.stdout.write('{"best": %r, "times": %r}\n' % (min(times), times))
    sys.stdout.flush()
    # Skip interpreter shutdown and our trace's write at exit: the cost of
    # recording is measured here; writing is measured by close_app.py.
    os._exit(0)


main()
