"""Functions for line mode: a loop, a recursive one, one in a thread."""
import sys
import threading


def compute(n):
    total = 0
    for i in range(n):
        total += i
    label = "done"
    return total


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def comp(n):
    squares = [i * i for i in range(n)]
    return squares


def other(x):
    y = x * 2
    return y


def in_thread(box):
    box.append(compute(2))


def main():
    compute(3)
    fact(3)
    other(5)
    comp(4)
    box = []
    th = threading.Thread(target=in_thread, args=(box,), name="liner")
    th.start()
    th.join()
    print("ok", box)


main()
