"""A signal arrives while tracepatch runs an argument's __repr__ (the repr
sends it: os.kill runs the handler at once), and the app's handler raises:
SystemExit for SIGTERM (argv[1] "exit"), TimeoutError for SIGALRM
("timeout"). The app must get the exception, as it would from any code
the signal interrupted. "own": a repr that raises SystemExit itself, with
no signal: that is its own failure, and the app runs on."""
import os
import signal
import sys


class ExitsItself:
    """Raises SystemExit on its own (as argparse does inside it, say): the
    repr's failure, not the app's."""

    def __repr__(self):
        raise SystemExit(3)


class SendsSignal:
    def __init__(self, signo):
        self.signo = signo

    def __repr__(self):
        os.kill(os.getpid(), self.signo)
        return "SendsSignal()"


def use(x):
    return 1


def on_alarm(signo, frame):
    raise TimeoutError("too slow")


def main():
    signal.signal(signal.SIGTERM, lambda signo, frame: sys.exit(7))
    signal.signal(signal.SIGALRM, on_alarm)
    signo = signal.SIGTERM if sys.argv[1] == "exit" else signal.SIGALRM
    try:
        for _ in range(3):
            use(ExitsItself() if sys.argv[1] == "own" else SendsSignal(signo))
    except TimeoutError as e:
        print("timed out:", e)
        return
    print("ran on")


main()
