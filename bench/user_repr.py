"""What recording costs a call of an app's own __repr__ (docs/benchmarks.md,
"Session 20"): 2,000 calls that each take an object of five attributes, one
of them a dict, whose __repr__ returns a constant."""
import time


class P:
    def __init__(self, i):
        self.a, self.b, self.c, self.d, self.e = i, 2, 3, 4, {"x": 1}

    def __repr__(self):
        return "P()"


def f(p):
    return 1


ps = [P(i) for i in range(100)]
t = time.perf_counter()
for _ in range(20):
    for p in ps:
        f(p)
print("%.1f ms" % ((time.perf_counter() - t) * 1e3))
