"""Leaves the process in the way argv[1] names, after some calls."""
import os
import signal
import sys
import time


def work(n):
    return n * 2


def leave(how):
    work(1)
    print("before", how, flush=True)
    if how == "normal":
        return
    if how == "sys_exit":
        sys.exit(3)
    if how == "unhandled":
        raise KeyError("nope")
    if how == "os_exit":
        os._exit(7)
    if how == "sigterm":
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        print("not reached", flush=True)


leave(sys.argv[1])
