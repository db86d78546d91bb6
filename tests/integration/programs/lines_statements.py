"""Line mode: lines of several statements; what functions not chosen cost."""
import sys


def helper(v):
    return v * 10


def three():
    a = 1; b = 2; c = a + b
    return c


def in_loop(n):
    total = 0
    for i in range(n):
        d = i; total += d
    return total


def with_call(x):
    g = x; h = helper(g); k = h + 1
    return k


def comp_second(n):
    z = 0; sq = [j for j in range(n)]
    return sq


def one_line_if(x):
    y = 0
    if x: y = 1
    return y


def one_line_for(n):
    total = 0
    for i in range(n): total += i; total *= 2
    return total


def one_line_if_two(x):
    y = z = 0
    if x: y = 1; z = y + 1
    return y + z


def one_line_while(n):
    while n: n -= 1
    return n


def one_line_elif_else(x):
    if x > 1: y = 1
    elif x: y = 2; z = 3
    else: y = 4; z = 5
    return y + z


def one_line_for_comp(n):
    for i in range(n): sq = [j for j in range(i)]; k = len(sq)
    return k


def fallback(x):
    m = x if x else 2; n = 3
    return m + n


def plain(x):
    a = x + 1
    b = a * 2
    return b


def busy(n):
    s = 0
    for i in range(n):
        s += i
        for j in range(3):
            s -= j
    return s


def local_events():
    """3.12+: which of our local events two code objects have now."""
    mon = getattr(sys, "monitoring", None)
    if mon is None:
        return "n/a"
    tool = [i for i in range(6) if mon.get_tool(i) == "tracepatch"]
    if not tool:
        return "no tool"
    line = mon.events.LINE
    return "busy=%d plain=%d" % (bool(mon.get_local_events(tool[0], busy.__code__) & line),
                                 bool(mon.get_local_events(tool[0], plain.__code__) & line))


def main():
    three()
    in_loop(3)
    with_call(4)
    comp_second(2)
    one_line_if(1)
    one_line_for(3)
    one_line_if_two(1)
    one_line_if_two(0)
    one_line_while(2)
    one_line_elif_else(1)
    one_line_elif_else(0)
    one_line_for_comp(2)
    fallback(5)
    for _ in range(3):
        busy(50)
        plain(1)
    print("ok", local_events())


main()
