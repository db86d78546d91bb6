"""A small program with every kind of call the format describes."""
import sys


def perimeter(side):
    return 4 * side


class Shape:
    perimeter = staticmethod(perimeter)   # a module-level function, also a class attribute

    def __init__(self, name):
        self.name = name

    def area(self, scale=1):
        return 0

    @classmethod
    def make(cls, name):
        return cls(name)

    @staticmethod
    def kinds():
        return ["square"]


class Square(Shape):
    def area(self, scale=1):
        return 4 * scale


def add(a, b=2, *rest, key=None, **extra):
    return a + b


def fails(x):
    raise ValueError("bad value %d" % x)


def catches():
    try:
        fails(1)
    except ValueError:
        return "caught"


def propagates():
    fails(2)


def counter(n):
    for i in range(n):
        yield i


def login(user, password):
    return user


def main():
    add(1, 5, 6, key="k", z=1)
    catches()
    try:
        propagates()
    except ValueError:
        pass
    total = sum(counter(3))
    sq = Square.make("sq")
    sq.area(scale=2)
    Shape.kinds()
    login("ann", password="hunter2")
    Shape.perimeter(3)
    print("total", total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
