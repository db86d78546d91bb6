"""A service that forks: prints `ready`; `work` makes a call, `fork` forks a
child that exits at once, `quit` ends. Every DeprecationWarning is shown
(3.12+ warns when a process that forks has more than one thread)."""
import os
import sys
import warnings

warnings.simplefilter("always", DeprecationWarning)


def handle(request_id):
    return {"id": request_id}


def fork_child():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return os.waitpid(pid, 0)[1]


def main():
    print("ready", flush=True)
    n = 0
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "work":
            n += 1
            handle(n)
            print("worked", flush=True)
        elif cmd == "fork":
            print("forked", fork_child(), flush=True)
        elif cmd == "quit":
            break


main()
