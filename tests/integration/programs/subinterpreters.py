"""Sub-interpreters run while a window is open, on the main thread and on a
worker thread. The window belongs to the main interpreter: what the
sub-interpreters run is not recorded, and must not disturb what is.
"""
import os
import signal
import threading

try:
    import _interpreters as interpreters          # 3.13
except ImportError:
    import _xxsubinterpreters as interpreters     # 3.8-3.12
run_in = getattr(interpreters, "run_string", None) or interpreters.exec

SUB = """
class Box:
    def __repr__(self):
        return "Box()"

def sub_work(box, n):
    return n + 1

total = 0
for i in range(%d):
    total += sub_work(Box(), i)
assert total == %d
"""


def in_sub(n):
    iid = interpreters.create()
    try:
        run_in(iid, SUB % (n, n * (n + 1) // 2))
    finally:
        interpreters.destroy(iid)
    return n


def main_work(x):
    return x * 2


def toggle_window():
    os.kill(os.getpid(), signal.SIGUSR1)


worker = threading.Thread(target=lambda: [in_sub(2000) for _ in range(3)], name="subs")
toggle_window()
worker.start()
in_sub(100)
print(main_work(21))
worker.join()
toggle_window()
print("done")
