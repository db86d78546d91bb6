"""A batch job: makes about 3*N calls (N from argv, default 1000), then
prints a result and exits with status 5, so a changed status shows."""
import sys


def leaf(i, token="t0ken-value"):
    return i + 1


def branch(i, config=None):
    return leaf(i) + leaf(i + 1)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    total = 0
    for i in range(n):
        total += branch(i, {"host": "db", "password": "hunter2", "Api_Key": 7})
    print("total", total)
    return 5


if __name__ == "__main__":
    sys.exit(main())
