"""Replaces itself the way argv[1] names, after some calls (and, first,
a subprocess child, which execs too but is not this process)."""
import os
import subprocess
import sys


def work(n):
    return n * 2


def leave(how):
    work(1)
    child = subprocess.run(["sh", "-c", "echo child"], capture_output=True, text=True)
    print("before", how, child.stdout.strip(), flush=True)
    if how == "execv":
        os.execv("/bin/sh", ["sh", "-c", "echo replaced; exit 4"])
    if how == "execvp":      # tries each PATH entry until one works
        os.execvp("sh", ["sh", "-c", "echo replaced; exit 4"])
    if how == "execve_fd":   # fexecve
        fd = os.open("/bin/sh", os.O_RDONLY)
        os.execve(fd, ["sh", "-c", "echo replaced; exit 4"], dict(os.environ))
    if how == "python":      # the new image is a Python again: a window of its own
        os.execv(sys.executable, [sys.executable, "-c", "print('replaced'); raise SystemExit(4)"])
    if how == "failed":
        try:
            os.execv("/nonexistent/program", ["x"])
        except OSError:
            work(2)
            print("exec failed", flush=True)
            sys.exit(4)


leave(sys.argv[1])
