"""Deep recursion in a thread with a 4 MB stack: argv[1] levels."""
import sys
import threading


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


def run():
    print("depth", deep(int(sys.argv[1])))


sys.setrecursionlimit(100000)
threading.stack_size(4 * 1024 * 1024)
t = threading.Thread(target=run)
t.start()
t.join()
print("after", deep(10))
