"""Window-close benchmark, run with a window open from start-up:

    close_app.py CALLS CACHE_DIR

Records CALLS calls (with arguments and return values), then closes the
window with SIGUSR1 (the default toggle signal) and waits for the file to
appear, while a thread of the app timestamps a tight loop: its longest
stall while the window closes is the time we kept the GIL (or the CPU)
from the app. The main thread's own time from the signal to its next
statement (the close runs at that safe point, GIL held) is the other
measure, as CPU time of that thread (the work done holding the GIL) and
as wall time (which also counts waiting for a CPU on a busy machine). A quiet period before the close gives the same measure
without us (the noise floor). Prints one JSON line."""
import json
import os
import re
import signal
import sys
import threading
import time

clock = time.perf_counter


def leaf(i, tag):
    return i * 2


def branch(i):
    return leaf(i, "left") + leaf(i + 1, "right")


def record(calls):
    total = 0
    for i in range(calls // 3):
        total += branch(i)
    return total


def ticker(gaps, stop):
    last = clock()
    while not stop:
        now = clock()
        if now - last > 0.0001:
            gaps.append((last, now))
        last = now


def longest(gaps, t0, t1):
    return max([b - a for a, b in gaps if b > t0 and a < t1] or [0.0])


def trace_file(cache):
    names = [n for n in os.listdir(cache) if n.endswith(".json")] if os.path.isdir(cache) else []
    return os.path.join(cache, names[0]) if names else None


def main():
    calls, cache = int(sys.argv[1]), sys.argv[2]
    record(calls)
    # Short switch interval: the main thread's polling must not be what
    # stalls the ticker (nor wait 5 ms for the GIL to notice the file).
    sys.setswitchinterval(0.0002)
    gaps, stop = [], []
    th = threading.Thread(target=ticker, args=(gaps, stop))
    th.start()
    time.sleep(0.05)
    b0 = clock()
    while clock() - b0 < 0.15:           # quiet period, polled like below
        trace_file(cache)
        time.sleep(0.0002)
    c0 = time.thread_time()
    t0 = clock()
    os.kill(os.getpid(), signal.SIGUSR1)
    leaf(0, "")                          # a safe point: the close runs by here
    t_back = clock()
    c_back = time.thread_time()
    while trace_file(cache) is None and clock() - t0 < 30:
        time.sleep(0.0002)
    t1 = clock()
    time.sleep(0.01)
    stop.append(1)
    th.join()
    path = trace_file(cache)
    with open(path, encoding="utf-8") as f:
        head = f.read(1 << 16)
    m = re.search(r'"call_count"\s*:\s*(\d+)', head)
    print(json.dumps({"to_disk": t1 - t0, "main_blocked": t_back - t0, "main_cpu": c_back - c0,
                      "stall": longest(gaps, t0, t1 + 0.005),
                      "baseline_stall": longest(gaps, b0, t0),
                      "calls": int(m.group(1)) if m else -1}))


main()
