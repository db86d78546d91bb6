"""A long-lived process traced many times (test_many_windows.py).

    many_windows.py N    open and close N windows with SIGUSR1, two app
                         threads working all along; N = 0 runs without
                         signals (the run without the preload)

Prints one JSON line: what the process holds (its threads, its open files
and its resident memory) after set-up before any window, after window
WARM_UP and after the last one, each taken once our writer threads are gone.
"""
import json
import os
import signal
import sys
import threading
import time

WARM_UP = 20
CALLS = 5000   # record() calls a window


def record(i):
    return {"i": i, "text": "value %d" % i, "items": list(range(i % 7))}


def work(n):
    out = 0
    for i in range(n):
        out += len(record(i)["items"])
    return out


def threads():
    return sorted(int(t) for t in os.listdir("/proc/self/task"))


def open_files():
    out = []
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            out.append("%s %s" % (fd, os.readlink("/proc/self/fd/" + fd)))
        except OSError:   # the listing's own descriptor, closed by now
            pass
    return out


def resident_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def held(app_threads):
    """What the process holds, once only the app's threads are left: each
    window's writer is a thread of ours that ends when its file is
    written (waited for up to 20 s)."""
    end = time.monotonic() + 20
    while len(threads()) > app_threads and time.monotonic() < end:
        time.sleep(0.01)
    return {"threads": len(threads()), "files": open_files(), "rss_kb": resident_kb()}


def one_window():
    os.kill(os.getpid(), signal.SIGUSR1)   # runs at the next safe point
    work(CALLS)
    os.kill(os.getpid(), signal.SIGUSR1)
    work(10)


def main():
    n = int(sys.argv[1])
    stop = threading.Event()

    def background():
        while not stop.is_set():
            work(50)
            time.sleep(0.001)

    app = [threading.Thread(target=background) for _ in range(2)]
    for t in app:
        t.start()
    work(2000)
    report = {"before": held(len(app) + 1)}
    for k in range(1, n + 1):
        one_window()
        if k == WARM_UP:
            report["warm"] = held(len(app) + 1)
    if n:
        report["after"] = held(len(app) + 1)
    stop.set()
    for t in app:
        t.join()
    print(json.dumps(report))


main()
