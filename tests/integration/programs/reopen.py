"""A call that runs across the end of one window and the start of the
next: the window opened at start-up is closed, then another opened, by
SIGUSR1 from inside outer()."""
import os
import signal


def inner(k):
    return k * 2


def toggle():
    os.kill(os.getpid(), signal.SIGUSR1)
    for _ in range(3):   # a backward jump: the handler runs by its end
        pass


def outer():
    inner(1)
    toggle()   # closes the first window
    inner(2)   # between windows
    toggle()   # opens the second
    inner(3)
    return "outer done"


print(outer())
print(inner(4))
