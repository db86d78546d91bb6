"""The idle-cost workload: what a service does in its first seconds, run
whole (interpreter start-up included) with and without the preload, the
window never opened. Deterministic under PYTHONHASHSEED=0."""
import json
import logging
import io
import sys
import threading
import decimal
import argparse
import collections
import dataclasses
import fractions
import textwrap


@dataclasses.dataclass
class Item:
    name: str
    price: decimal.Decimal
    tags: tuple = ()


def caller_name():
    return sys._getframe(1).f_code.co_name


def small(a, b=2):
    return a * b + 1


def make_items(n):
    return [Item("item%d" % i, decimal.Decimal(i) / 7, ("t%d" % (i % 5),)) for i in range(n)]


def encode(items):
    return json.dumps([{"name": it.name, "price": str(it.price), "tags": list(it.tags)}
                       for it in items])


def worker(n, out, idx):
    log = logging.getLogger("worker%d" % idx)
    total = 0
    for i in range(n):
        total += small(i)
        if i % 500 == 0:
            log.info("worker %d at %d", idx, i)
    out[idx] = total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    scale = args.scale
    stream = io.StringIO()
    logging.basicConfig(stream=stream, level=logging.INFO,
                        format="%(asctime)s %(name)s %(funcName)s %(message)s")
    log = logging.getLogger("app")
    for i in range(2000 * scale):
        log.info("request %d from %s", i, caller_name())
    names = [caller_name() for _ in range(5000 * scale)]
    items = make_items(300 * scale)
    text = encode(items)
    back = json.loads(text)
    counts = collections.Counter(d["tags"][0] for d in back)
    acc = 0
    for i in range(50000 * scale):
        acc += small(i, 3)
    frac = sum(fractions.Fraction(1, k) for k in range(1, 60))
    out = [0] * 3
    # One at a time: threads that fight for the GIL make callgrind's counts
    # depend on the machine's load (timed waits), not on the code.
    for k in range(3):
        t = threading.Thread(target=worker, args=(5000 * scale, out, k))
        t.start()
        t.join()
    wrapped = textwrap.fill(" ".join(names[:200]), 60)
    print(len(stream.getvalue()) > 0, len(counts), acc % 97, frac.denominator % 97, sum(out) % 97,
          len(wrapped) > 0)


main()
