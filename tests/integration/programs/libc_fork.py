"""fork() called through libc, as a C extension would, so Python's fork
hooks do not run, right after a window closed: its trace is being written
by a thread the child does not have. With argv[1] 'open' the window is
still open at the fork, and the parent closes it after the child ended."""
import ctypes
import os
import signal
import sys

libc = ctypes.CDLL(None)


def work(n):
    return [str(i) for i in range(n)]


os.kill(os.getpid(), signal.SIGUSR1)      # open
for _ in range(20000):
    work(3)
still_open = sys.argv[1:] == ["open"]
if not still_open:
    os.kill(os.getpid(), signal.SIGUSR1)  # close: the writer thread starts
pid = libc.fork()
if pid == 0:
    print("child running", flush=True)
    sys.exit(0)
_, status = os.waitpid(pid, 0)
print("child status", status)
if still_open:
    os.kill(os.getpid(), signal.SIGUSR1)
