"""Generators, yield from, throw, async generators, deep recursion."""
import asyncio
import sys


def inner():
    yield 1
    yield 2
    return "inner-done"


def outer():
    result = yield from inner()
    yield result


def catcher():
    while True:
        try:
            yield "waiting"
        except KeyError as e:
            yield "caught %s" % e


def dies():
    yield 1
    raise RuntimeError("generator failed")


async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def consume():
    return [x async for x in agen(3)]


def recurse(n):
    return recurse(n + 1)


def main():
    print(list(outer()))
    c = catcher()
    next(c)
    print(c.throw(KeyError("k")))
    c.close()
    try:
        list(dies())
    except RuntimeError:
        pass
    print(asyncio.run(consume()))
    sys.setrecursionlimit(200)
    try:
        recurse(0)
    except RecursionError:
        print("recursion stopped")


main()
