"""Greenlets that interleave on one thread. argv[1]: "signal" (greenlet
imported before a window that SIGUSR1 opens and closes), "late" (imported
while a start-up window records, more than 1024 calls before switching), "chained"
(the app has its own greenlet trace function)."""
import os
import signal
import sys
import time

how = sys.argv[1]


def toggle_window():
    if "tracepatch" not in os.environ.get("LD_PRELOAD", ""):
        return   # the run without us, whose output the test compares
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.01)


def filler(i):
    return i


import greenlet  # noqa: E402

if how == "late":
    # The recorder looks for greenlet every 1024 recorded calls.
    for i in range(1100):
        filler(i)

seen = []
if how == "chained":
    def app_tracer(event, args):
        seen.append(event)
    greenlet.settrace(app_tracer)


def leaf(tag, i):
    return "%s%d" % (tag, i)


def worker(tag, n):
    out = []
    for i in range(n):
        out.append(leaf(tag, i))
        other = ga if tag == "b" else gb
        if not other.dead:
            other.switch()
    return out


def start_a():
    return worker("a", 3)


def start_b():
    return worker("b", 3)


def run():
    global ga, gb
    ga = greenlet.greenlet(start_a)
    gb = greenlet.greenlet(start_b)
    result = ga.switch()
    while not gb.dead:
        gb.switch()
    return result


def boom():
    raise KeyError("x")


def parked():
    greenlet.getcurrent().parent.switch(leaf("p", 0))
    leaf("p", 1)


if how != "late":
    toggle_window()
print(run())
try:
    greenlet.greenlet(boom).switch()
except KeyError as e:
    print("caught", e)
g = greenlet.greenlet(parked)
g.switch()
toggle_window()   # closes the window (in "late" too)
# After the window: one switch, and greenlet's trace function is the
# app's again (or none).
g.switch()
print("tracer", greenlet.gettrace() is (app_tracer if how == "chained" else None))
if how == "chained":
    print("app saw", len(seen), "switches")
