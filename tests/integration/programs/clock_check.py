"""Naps of known lengths, with the wall time just before each, so a test
can hold the trace's start/end/elapsed against them."""
import time


def nap(seconds):
    time.sleep(seconds)


def main():
    marks = []
    for seconds in (0.02, 0.05, 0.03):
        marks.append(time.time())
        nap(seconds)
    print(" ".join("%.6f" % m for m in marks))


main()
