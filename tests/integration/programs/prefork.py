"""A prefork server: the parent forks workers; each obeys its own pipe.

stdin: `pids` prints the workers' pids, `work` makes every process (parent
and workers) call work(), `fork-in-window` forks a child that calls and
exits while the caller may have a window open, `quit` stops everything.
"""
import os
import sys
import threading

N = 2


def work(who):
    return "worked:%s" % who


def worker(r, w):
    os.write(w, b"r")   # started: a signal from now on is this process's own
    for line in os.fdopen(r):
        cmd = line.strip()
        if cmd == "work":
            work("worker-%d" % os.getpid())
            os.write(w, b"k")
        elif cmd == "ping":   # lets a pending signal handler run
            os.write(w, b"p")
        elif cmd == "quit":
            break
    os._exit(0)


def child_then_exit(from_thread):
    pid = os.fork()
    if pid == 0:
        work("child")
        os._exit(0)
    os.waitpid(pid, 0)


def main():
    workers = []
    for _ in range(N):
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(down_w)
            os.close(up_r)
            worker(down_r, up_w)
        os.close(down_r)
        os.close(up_w)
        workers.append((pid, down_w, up_r))
    # A signal that reaches a child still inside os.fork() is dropped by
    # CPython itself (pending signals are cleared after a fork).
    for _pid, _w, r in workers:
        os.read(r, 1)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "pids":
            print(" ".join(str(p) for p, _w, _r in workers), flush=True)
        elif cmd == "work":
            work("parent")
            for _pid, w, r in workers:
                os.write(w, b"work\n")
                os.read(r, 1)
            print("worked", flush=True)
        elif cmd == "ping":
            for _pid, w, r in workers:
                os.write(w, b"ping\n")
                os.read(r, 1)
            print("pong", flush=True)
        elif cmd == "fork-in-window":
            child_then_exit(False)
            th = threading.Thread(target=child_then_exit, args=(True,))
            th.start()
            th.join()
            print("forked", flush=True)
        elif cmd == "quit":
            break
    for pid, w, _r in workers:
        os.write(w, b"quit\n")
        os.waitpid(pid, 0)


main()
