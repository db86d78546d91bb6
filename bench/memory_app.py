"""Memory benchmark: RSS growth over CALLS calls of a function with no
arguments that returns None (so the value text per call is known: an empty
args string and "None", each with its NUL: 6 bytes). Run with and without
a window open from start-up; prints one JSON line.

    memory_app.py CALLS"""
import json
import os
import sys


def f():
    return None


def rss():
    with open("/proc/self/statm") as s:
        return int(s.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main():
    calls = int(sys.argv[1])
    before = rss()
    for _ in range(calls):
        f()
    after = rss()
    print(json.dumps({"rss_growth": after - before}))
    sys.stdout.flush()


main()
