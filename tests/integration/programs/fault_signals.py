"""An app that keeps working while signals arrive. Prints `ready`, then
obeys one command per line:

    spin S      call functions for S seconds           -> spun
    work N      make N calls                           -> worked N
    own         install its own SIGUSR1 handler        -> owned
    count       how many times its own handler ran     -> count N
    trap-atexit SIGUSR1 arrives while `atexit` is imported -> trapped
    traps       how many times that trap fired         -> traps N
    quit
"""
import os
import signal
import sys
import time

hits = 0


def leaf(i):
    return i + 1


def branch(i):
    return leaf(i) + leaf(i + 1)


def own_handler(signo, frame):
    global hits
    hits += 1


class SignalOnAtexitImport:
    """A meta path finder that sends SIGUSR1 when `atexit` is looked up:
    the handler then runs inside the import (Python code)."""
    fired = 0

    def find_spec(self, name, path=None, target=None):
        if name == "atexit":
            SignalOnAtexitImport.fired += 1
            os.kill(os.getpid(), signal.SIGUSR1)
        return None


def main():
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "spin":
            end = time.monotonic() + float(rest[0])
            n = 0
            while time.monotonic() < end:
                n += branch(n) & 1
                time.sleep(0.0001)
            print("spun", flush=True)
        elif cmd == "work":
            for i in range(int(rest[0])):
                branch(i)
            print("worked", rest[0], flush=True)
        elif cmd == "own":
            signal.signal(signal.SIGUSR1, own_handler)
            print("owned", flush=True)
        elif cmd == "ping":   # lets a pending signal handler run
            print("pong", flush=True)
        elif cmd == "trap-atexit":
            sys.modules.pop("atexit", None)   # imported again by whoever asks next
            sys.meta_path.insert(0, SignalOnAtexitImport())
            print("trapped", flush=True)
        elif cmd == "traps":
            print("traps", SignalOnAtexitImport.fired, flush=True)
        elif cmd == "count":
            print("count", hits, flush=True)
        elif cmd == "quit":
            break
    print("bye", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
