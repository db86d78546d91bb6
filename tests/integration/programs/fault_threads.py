"""Threads and processes during a window.

    churn N        start and join N short threads (a few at a time)
    fork           fork from the main thread in the middle of the window
    fork-thread    fork from a non-main thread in the middle of the window
    finalize N     leave N daemon threads calling functions and exit

Prints what the app sees; the child of a fork prints its own line and
exits through os._exit or normally (`fork ... exit`).
"""
import os
import signal
import sys
import threading
import time


def work(i):
    return square(i) + 1


def square(i):
    return i * i


def churn(n):
    results = []
    lock = threading.Lock()

    def body(i):
        v = work(i)
        with lock:
            results.append(v)

    batch = 50
    for base in range(0, n, batch):
        ts = [threading.Thread(target=body, args=(i,)) for i in range(base, min(n, base + batch))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    print("churn", len(results), sum(results))


def child_work():
    return work(7)


def do_fork(how_child_exits):
    pid = os.fork()
    if pid == 0:
        v = child_work()
        print("child", v)
        sys.stdout.flush()
        if how_child_exits == "_exit":
            os._exit(0)
        sys.exit(0)
    _, status = os.waitpid(pid, 0)
    print("parent saw child status", status)


def fork_from_thread(how_child_exits):
    t = threading.Thread(target=do_fork, args=(how_child_exits,), name="forker")
    t.start()
    t.join()


def finalize(n):
    stop = time.monotonic() + 60

    def spin():
        while time.monotonic() < stop:
            work(3)
            time.sleep(0.0005)

    for i in range(n):
        threading.Thread(target=spin, daemon=True, name="spinner-%d" % i).start()
    time.sleep(0.2)
    print("leaving with", threading.active_count() - 1, "daemon threads")


def main():
    what = sys.argv[1]
    arg = sys.argv[2] if len(sys.argv) > 2 else None
    if os.environ.get("FAULT_OPEN") == "signal":
        # Open the window ourselves, once threading is imported.
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.01)
    work(1)
    if what == "churn":
        churn(int(arg))
    elif what == "fork":
        do_fork(arg or "exit")
    elif what == "fork-thread":
        fork_from_thread(arg or "exit")
    elif what == "finalize":
        finalize(int(arg))
    work(2)
    print("done")


if __name__ == "__main__":
    main()
