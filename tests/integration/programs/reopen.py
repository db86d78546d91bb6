"""A call that runs across the end of one window and the start of the
next: the window opened at start-up is closed, then another opened, by
SIGUSR1 from inside outer(). Between the two, it waits until the first
window is written (and its memory freed), so that outer()'s end cannot
touch it."""
import glob
import os
import signal
import time


def inner(k):
    return k * 2


def toggle():
    os.kill(os.getpid(), signal.SIGUSR1)
    for _ in range(3):   # a backward jump: the handler runs by its end
        pass


def wait_for_first_trace():
    cache = os.environ.get("TRACEPATCH_CACHE_DIR", ".tracepatch_cache")
    deadline = time.monotonic() + 20
    while not glob.glob(os.path.join(cache, "trace_*.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)   # the writer frees the window after the rename


def outer():
    inner(1)
    toggle()   # closes the first window
    wait_for_first_trace()
    inner(2)   # between windows
    toggle()   # opens the second
    inner(3)
    return "outer done"


print(outer())
print(inner(4))
