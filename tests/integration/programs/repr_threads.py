"""An argument whose __repr__ runs a thread and waits for it: that thread
calls 600 functions tracepatch has not met yet, so what tracepatch knows
about code objects (one table per window, shared by the threads) grows
while this thread's values are being rendered. Prints take's result and
how many functions the reprs' threads called."""
import threading

BATCH = 600
made = []


def make(i):
    namespace = {}
    exec("def f%d(x, y=%d):\n    return x + y\n" % (i, i), namespace)
    return namespace["f%d" % i]


def batch():
    funcs = [make(i) for i in range(len(made), len(made) + BATCH)]
    made.extend(funcs)
    return sum(f(1) for f in funcs)


class Waits:
    def __repr__(self):
        worker = threading.Thread(target=batch)
        worker.start()
        worker.join()
        return "Waits()"


def take(waits, b, c, d="dee"):
    return c


if __name__ == "__main__":
    print(take(Waits(), 1, "see"), len(made))
