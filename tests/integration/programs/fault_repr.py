"""Hostile __repr__ / __str__ in arguments, return values and exceptions.

Prints what the app itself can observe (state the reprs would change is
printed only where the test expects a difference), and exits 3 so a
changed exit status shows.
"""
import sys
import time

SLOW = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
state = {"mutations": 0, "helper_calls": 0}


def helper(x):
    state["helper_calls"] += 1
    return x * 2


class Raises:
    def __repr__(self):
        raise RuntimeError("repr exploded")


class NotStr:
    def __repr__(self):
        return 42


class Slow:
    def __repr__(self):
        time.sleep(SLOW)
        return "Slow()"


class Reentrant:
    def __repr__(self):
        return "Reentrant(%d)" % helper(21)


class Recursive:
    def __repr__(self):
        return "Recursive(%r)" % (self,)


class Forever:
    def __repr__(self):
        return repr(Forever())


class Mutates:
    def __repr__(self):
        state["mutations"] += 1
        return "Mutates()"


class BadStrError(Exception):
    def __str__(self):
        raise ValueError("str exploded")


class BadReprAndStrError(Exception):
    def __str__(self):
        return 17

    def __repr__(self):
        raise RuntimeError("no")


class CountingStrError(Exception):
    def __str__(self):
        state["mutations"] += 1
        return "counted"


def take(value):
    return value


def give(value):
    return value


def raise_bad_str():
    raise BadStrError("x")


def raise_bad_both():
    raise BadReprAndStrError("y")


def raise_counting_str():
    raise CountingStrError("c", 2)


def raise_with_mutates():
    raise ValueError(Mutates())


def keeps_exception(obj):
    """The app's own exception must survive a failing repr of its argument."""
    try:
        raise LookupError("app's own")
    except LookupError as e:
        take(obj)
        return str(e)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    out = []
    for cls in (Raises, NotStr, Reentrant, Recursive, Forever, Mutates):
        out.append(type(take(cls())).__name__)
        out.append(type(give(cls())).__name__)
    if mode == "slow":
        take(Slow())
    for fn in (raise_bad_str, raise_bad_both, raise_counting_str, raise_with_mutates):
        try:
            fn()
        except Exception as e:
            out.append(type(e).__name__)
    out.append(keeps_exception(Raises()))
    out.append(str(helper(1)))
    print(" ".join(out))
    sys.stdout.flush()
    # What a repr run on our behalf would change: on stderr, so stdout stays
    # comparable; the tests read it to tell safe mode from full mode.
    sys.stderr.write("STATE mutations=%(mutations)d helper_calls=%(helper_calls)d\n" % state)
    return 3


if __name__ == "__main__":
    sys.exit(main())
