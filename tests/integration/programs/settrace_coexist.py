"""A Python trace function (as coverage or a debugger installs) running
before and during a window opened by SIGUSR1."""
import os
import signal
import sys
import time

seen = []


def tracer(frame, event, arg):
    if event == "call":
        seen.append(frame.f_code.co_name)
    return None


def work(x):
    return x + 1


sys.settrace(tracer)
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.05)
print(work(1), work(2))
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.05)
sys.settrace(None)
print("tracer saw work", seen.count("work"))
