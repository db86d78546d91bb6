"""The hot module of the ignored-code benchmark: listed in
TRACEPATCH_IGNORE_MODULES, so it must cost (almost) nothing."""


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def churn(n):
    total = 0
    for i in range(n):
        total += square(i) % 7
    return total


def square(x):
    return x * x
