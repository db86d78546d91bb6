"""Deep recursion in a thread with a 4 MB stack (or argv[2] KiB): argv[1]
levels."""
import sys
import threading


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


def run():
    print("depth", deep(int(sys.argv[1])))


sys.setrecursionlimit(100000)
threading.stack_size((int(sys.argv[2]) if len(sys.argv) > 2 else 4096) * 1024)
t = threading.Thread(target=run)
t.start()
t.join()
print("after", deep(10))
