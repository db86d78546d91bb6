"""A __repr__ that blocks on gevent (a database query in a model's repr,
say): while tracepatch renders take's argument, the hub runs the other
greenlets, and job's call, recorded before, ends then. The window is
opened by SIGUSR1 after gevent's import; argv[1]: filler calls after."""
import os
import signal
import sys
import time

import gevent


def job(i):
    gevent.sleep(0.01)
    return i


class Blocks:
    def __repr__(self):
        gevent.sleep(0.05)
        return "Blocks()"


def take(x):
    return 1


def main_greenlet():
    take(Blocks())


def filler(i):
    return i


gevent.sleep(0)   # the hub's start-up, before the window
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.01)
first = gevent.spawn(job, 1)
gevent.sleep(0)
second = gevent.spawn(main_greenlet)
gevent.joinall([first, second])
for i in range(int(sys.argv[1])):
    filler(i)
print("done", first.value)
