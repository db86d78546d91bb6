"""multiprocessing with the start method in argv[1]."""
import multiprocessing as mp
import sys


def square(x):
    return x * x


def wait_for_each_other(barrier):
    """Both workers are up before either takes work. Otherwise, on a busy
    machine, one worker could do it all while the other is still starting,
    and the pool's SIGTERM at the end would kill that one before it could
    open a window (nothing to record then, and no file)."""
    barrier.wait(timeout=60)


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    with ctx.Pool(2, initializer=wait_for_each_other, initargs=(ctx.Barrier(2),)) as pool:
        print(sum(pool.map(square, range(10))))
