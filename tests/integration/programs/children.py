"""Runs a Python child and a shell child; prints what they saw."""
import os
import subprocess
import sys


def spawn():
    child = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get('LD_PRELOAD', ''))"],
                           capture_output=True, text=True)
    return child.stdout.strip()


print("child preload:", "yes" if "libtracepatch" in spawn() else "no")
print("sh:", subprocess.run(["sh", "-c", "echo $((6*7))"], capture_output=True, text=True).stdout.strip())
