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
    if how in ("sigterm", "sighup", "sigint_default"):
        signo = {"sigterm": signal.SIGTERM, "sighup": signal.SIGHUP,
                 "sigint_default": signal.SIGINT}[how]
        os.kill(os.getpid(), signo)
        time.sleep(5)
        print("not reached", flush=True)


if sys.argv[1] == "sigint_default":
    # Ctrl-C ends the process at once, as the app asks; a window opened
    # after that (by SIGUSR1 here) takes SIGINT too.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.01)


leave(sys.argv[1])
