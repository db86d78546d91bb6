"""Threads that exist before the window, and threads started inside it.

Commands on stdin: `go` runs one round of work in every thread (and starts
N short-lived threads), `quit` ends. A window is toggled by the test.
"""
import _thread
import sys
import threading
import time

N_NEW = int(sys.argv[1]) if len(sys.argv) > 1 else 3
rounds = []
lock = threading.Lock()


def work(tag, i):
    return "%s-%d" % (tag, i)


def long_lived(name, ev, done):
    while True:
        ev.wait()
        ev.clear()
        if not rounds:
            return
        work(name, rounds[-1])
        done.release()


def raw_thread(done):
    """Started with _thread: threading never hears of it."""
    for i in range(100):
        work("raw", i)
        time.sleep(0.001)
    done.release()


def busy(n):
    return [work("busy", i) for i in range(n)]


def short_lived(i, barrier):
    barrier.wait()
    return work("short", i)


def main():
    events, done = [], threading.Semaphore(0)
    olds = []
    for k in range(2):
        ev = threading.Event()
        th = threading.Thread(target=long_lived, args=("old%d" % k, ev, done), name="old-%d" % k)
        th.start()
        events.append(ev)
        olds.append(th)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "go":
            rounds.append(len(rounds))
            for ev in events:
                ev.set()
            for _ in events:
                done.acquire()
            barrier = threading.Barrier(N_NEW)
            news = [threading.Thread(target=short_lived, args=(i, barrier), name="new-%d" % i)
                    for i in range(N_NEW)]
            for th in news:
                th.start()
            for th in news:
                th.join()
            raw_done = threading.Semaphore(0)
            _thread.start_new_thread(raw_thread, (raw_done,))
            while not raw_done.acquire(timeout=0.001):
                busy(50)
            print("went", flush=True)
        elif cmd == "ping":   # lets a pending signal handler run
            print("pong", flush=True)
        elif cmd == "quit":
            break
    rounds.clear()
    for ev in events:
        ev.set()
    for th in olds:
        th.join()


main()
