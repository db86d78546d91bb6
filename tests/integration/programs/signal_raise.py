"""A SIGALRM handler that raises, every 200 us, while tracepatch's signal
(USR2, set by the test) opens and closes windows: each change of the
terminating signals' handlers (signal.signal(), which first runs the
handlers of signals that have arrived) may meet a SIGALRM. Every
exception the handler raises must reach the app. argv[1]: windows."""
import os
import signal
import sys

raised = caught = 0
may_raise = False


def leaf(i):
    return i + 1


def on_alarm(signo, frame):
    # Raises only inside the try below: `may_raise` is set as its first
    # statement and cleared as its last and by this handler.
    global raised, may_raise
    if may_raise:
        may_raise = False
        raised += 1
        raise TimeoutError("alarm")


def main():
    global caught, may_raise
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
    toggles = 0
    while toggles < 2 * int(sys.argv[1]):
        try:
            may_raise = True
            os.kill(os.getpid(), signal.SIGUSR2)
            toggles += 1
            for i in range(20):
                leaf(i)
            may_raise = False
        except TimeoutError:
            caught += 1
    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    print("raised", raised, "caught", caught, "lost", raised - caught)


main()
