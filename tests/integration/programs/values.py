"""Calls echo(v) for many values and prints each repr(v), one per line, so
the test can compare what the trace recorded with this Python's repr."""
import math
import random
import re
import sys


def echo(value):
    return value


def several(a, b, c, d, e):
    return e


class Plain:
    """Keeps object.__repr__."""


def renamed_class_instances():
    """The core keeps the text of recent classes' names: renames, other
    class attributes changing, and more classes than it keeps."""
    p = Plain()
    yield p
    Plain.counter = 1
    yield p
    Plain.__module__ = "elsewhere"
    yield p
    Plain.__qualname__ = "Outer.Renamed"
    yield p
    Plain.counter = 2
    Plain.__module__ = __name__
    yield p
    for i in range(40):
        yield type("C%d" % i, (), {})()


def deferred_instances():
    """Instances of a class that keeps object.__repr__ are printed by the
    trace writer from the class's text and the address: each must show
    the name the class had when it was recorded, and none may once the
    class has a __repr__ of its own."""
    class Kept:
        pass
    k = Kept()
    hasattr(k, "x")   # a lookup: the class gets a type version (kept classes need one)
    for _ in range(3):
        yield k
    Kept.__qualname__ = "KeptRenamed"
    hasattr(k, "x")
    for _ in range(3):
        yield k
    Kept.__repr__ = lambda self: "custom"
    hasattr(k, "x")
    yield Kept   # the class's path written again: its entry takes the new version
    for _ in range(2):
        yield k
    del Kept.__repr__
    hasattr(k, "x")
    for _ in range(3):
        yield k


def changing_dicts():
    """The core keeps the text of dicts of scalars by address and version:
    the same dict changed in every way, an instance's __dict__ (on 3.13 a
    set attribute does not move its version), a dict holding a list that
    changes, and new dicts where freed ones were."""
    d = {"a": 1, "b": "x"}
    yield d
    d["a"] = 2
    yield d
    d["c"] = 3.5
    yield d
    del d["b"]
    yield d
    d.update(a=None, b=True)
    yield d
    d.clear()
    yield d
    p = Plain()
    p.x = 1
    state = vars(p)
    yield state
    p.x = 2
    yield state
    p.y = "new"
    yield state
    del p.x
    yield state
    holder = {"items": [1]}
    yield holder
    holder["items"].append(2)
    yield holder
    for i in range(50):   # freed each turn: the next one may take its place
        yield {"n": i, "s": "v%d" % (i % 7)}


def changing_containers():
    """The core keeps the text of a container passed again with guards on
    what it holds: the same record changed deep inside, items replaced
    twice between calls (the second often where the first was freed), a
    new tuple where the last one was."""
    rec = {"id": 1, "lines": [{"q": 1}, {"q": 2}], "t": (1, "a"), "grid": [[0, 1], [2]]}
    for change in ("pass", "rec['lines'][0]['q'] = 5", "rec['lines'].append({'q': 3})",
                   "rec['lines'][1] = {'q': 9}", "rec['lines'].pop()", "rec['t'] = (2, 'b')",
                   "rec['grid'][0][1] = 3", "rec['grid'][1].append(4)",
                   "rec['grid'][0] = [0, 3]", "rec['id'] = 2"):
        exec(change)
        yield rec
        yield rec["lines"]
        yield (rec, 5)
    for new in (lambda i: {"n": i}, lambda i: "s%d" % i, lambda i: 10**20 + i,
                lambda i: ("t%d" % i,), lambda i: [{"n": i}]):
        items = [new(-1)]
        for i in range(30):
            yield items
            items[0] = new(1000 + i)
            items[0] = new(i)


def changing_strs():
    """The core keeps the text of a str that needs escapes by its
    characters: strs of one length and kind that differ in one character,
    often made where the last was freed, each shown twice (argument and
    return value)."""
    for template in ("tab\there %03d", "caf\u00e9\n%03d", "\U0001f600'\"%03d"):
        for i in range(40):
            yield template % (i % 7)


def values(rng):
    yield from [0, -1, 2**63, -2**200, 3.5, -0.0, float("inf"), float("nan"), 1e16, 5e-324,
                True, False, None, "", "'", '"', "'\"", "a\nb\tc\\", "\x00\x7f\x80\xff",
                "\u2028\ud800x", "é€𝄞", b"", b"\x00'\"\xff", [], (), {}, set(), frozenset(),
                (1,), [1, [2, (3, {4: "5"})]], {1, 2, 3}, frozenset({"a"}), {"k": [None, 1.5]},
                3.0, -2.0, 1e15, 9999999999999998.0, 1e16, 123456789.0, object(), Plain(),
                [Plain(), object], "plain ascii", "with 'quote'", "tab\there",
                len, math.floor, [].append, "".join, dict.fromkeys, re.compile("x").match,
                object.__init_subclass__, iter([1]), iter(()), iter(range(2)), zip(),
                map(len, []), enumerate([]), [iter(()), len]]
    yield from renamed_class_instances()
    yield from deferred_instances()
    yield from changing_dicts()
    yield from changing_containers()
    yield from changing_strs()
    for _ in range(300):
        yield rng.uniform(-1e5, 1e5)
        yield round(rng.uniform(0, 100), rng.randrange(7))
    for _ in range(300):
        kind = rng.randrange(5)
        if kind == 0:
            yield rng.randrange(-10**30, 10**30)
        elif kind == 1:
            yield rng.uniform(-1e10, 1e10) * 10 ** rng.randrange(-300, 300)
        elif kind == 2:
            yield "".join(chr(rng.randrange(0, 0x30000)) for _ in range(rng.randrange(8)))
        elif kind == 3:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(8)))
        else:
            yield [rng.randrange(100), str(rng.random()), (None, True)]


out = []
for v in values(random.Random(int(sys.argv[1]))):
    echo(v)
    out.append(repr(v).encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
recursive = []
recursive.append(recursive)
echo(recursive)
out.append(repr(recursive))
# floats whose bytes hold NUL (0.5) and 0xFF (0.99...9), one argument list
several(0.5, 0.9999999999999999, -0.30000000000000004, 1e-4, 999999999999999.9)
sys.stdout.write("\n".join(r.replace("\n", "\\n") for r in out) + "\n")
