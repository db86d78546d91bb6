"""Many calls, deep recursion, big values, and a module to ignore."""
import sys

import helper_mod


def leaf(i):
    return i


def deep(n):
    if n == 0:
        return "bottom"
    return deep(n - 1)


def big(value):
    return value


def through_helper():
    return helper_mod.call_back(leaf, 5)


def main(n_calls):
    for i in range(n_calls):
        leaf(i)
    deep(40)
    big("x" * 1000)
    big(list(range(1000)))
    through_helper()
    print("done", flush=True)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
