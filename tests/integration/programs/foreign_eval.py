"""A frame evaluator of someone else's (foreign_eval.c) next to our window.
argv: LIB before|during
  before: installed before the window opens (SIGUSR1 to ourselves);
  during: installed while an autostart window is open."""
import ctypes
import os
import signal
import sys
import time

lib = ctypes.PyDLL(sys.argv[1])


def work(x):
    return x * 2


def toggle_window():
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.05)   # the handler runs at the next safe point


if sys.argv[2] == "before":
    lib.foreign_install()
    toggle_window()
    print(sum(work(i) for i in range(5)))
    toggle_window()
else:
    print(work(1))
    lib.foreign_install()
    print(work(2))
    toggle_window()
print("foreign installed", lib.foreign_installed(), "counted", lib.foreign_frames() > 0)
