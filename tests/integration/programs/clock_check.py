"""Naps of known lengths, with the wall time just before and just after each,
so a test can hold the trace's start/end/elapsed against them."""
import time


def nap(seconds):
    time.sleep(seconds)


def main():
    marks = []
    for seconds in (0.02, 0.05, 0.03):
        before = time.time()
        nap(seconds)
        marks.append("%.6f:%.6f" % (before, time.time()))
    print(" ".join(marks))


main()
