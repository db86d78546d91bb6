"""A tiny service: prints `ready`, then `work` makes calls, `quit` ends."""
import sys


def handle(request_id):
    return {"id": request_id, "ok": True}


def main():
    print("ready", flush=True)
    n = 0
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "work":
            n += 1
            handle(n)
            print("worked", flush=True)
        elif cmd == "ping":   # lets a pending signal handler run
            print("pong", flush=True)
        elif cmd == "quit":
            break
    print("served", n, flush=True)


main()
