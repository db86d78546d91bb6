"""fd 2 given to a file of the app's: argv[1] 'data' closes stderr and
opens a data file on fd 2; 'log' puts a log file opened for appending
there, as daemons do. A window opens and closes in between; the file's
contents are printed."""
import os
import signal
import sys

mode = sys.argv[1]
if mode == "data":
    os.close(2)
    f = open("data.txt", "w")
    assert f.fileno() == 2
else:
    os.dup2(os.open("app.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), 2)
    f = os.fdopen(2, "w")
f.write("record 1\n")
f.flush()
os.kill(os.getpid(), signal.SIGUSR1)
f.write("record 2\n")
f.flush()
os.kill(os.getpid(), signal.SIGUSR1)
os.kill(os.getpid(), signal.SIGUSR1)   # a second window: its open line
f.close()
print(open("data.txt" if mode == "data" else "app.log").read(), end="")
