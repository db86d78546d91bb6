"""multiprocessing with the start method in argv[1]."""
import multiprocessing as mp
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        print(sum(pool.map(square, range(10))))
