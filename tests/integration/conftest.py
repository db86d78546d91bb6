"""Integration tests: real Python programs run under the preload.

Every test that takes the `py` fixture runs once per CPython version we
support; a version missing on this machine shows up as a skipped test
with the reason, never silently. The build directory is $TRACEPATCH_BUILD
(default: <repo>/build).

Two variables serve the sanitizer run of scripts/test:
TRACEPATCH_TEST_PRELOAD_FIRST=<path> goes in front of our library in the
LD_PRELOAD that Python.env() builds (ASan's runtime must come first in a
process that is not itself instrumented), and
TRACEPATCH_TEST_PYTHONS=3.13,debian-3.11 limits the `py` fixture to those
versions (the others are reported skipped, with that reason).
TRACEPATCH_TEST_CLOCK=tsc runs every preloaded program with that
TRACEPATCH_CLOCK (unless a test sets its own): scripts/test's stage for the
counter path, which this project's machine does not take by default.

Every program runs with TMPDIR set to a directory of this test session
(removed at its end): a trace whose cache directory cannot take it falls
back to $TMPDIR/tracepatch-<uid>, and tests must not leave files in /tmp.
"""
import atexit
import functools
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("TRACEPATCH_BUILD", REPO / "build")).resolve()
PRELOAD = BUILD / "preload" / "libtracepatch.so"
TPH = BUILD / "render" / "tph"
PROGRAMS = pathlib.Path(__file__).resolve().parent / "programs"

SESSION_TMP = tempfile.mkdtemp(prefix="tracepatch-tests-")
atexit.register(shutil.rmtree, SESSION_TMP, True)

WANTED = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "debian-3.11"]


def _discover():
    out = subprocess.run([str(REPO / "scripts" / "find-pythons")], capture_output=True,
                         text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        ver, _inc, path = line.split(" ", 2)
        key = "debian-" + ver if path.startswith("/usr/bin/") else ver
        found.setdefault(key, path)
    return found


PYTHONS = _discover()
PRELOAD_FIRST = os.environ.get("TRACEPATCH_TEST_PRELOAD_FIRST", "")
TEST_CLOCK = os.environ.get("TRACEPATCH_TEST_CLOCK", "")
SELECTED = [k.strip() for k in os.environ.get("TRACEPATCH_TEST_PYTHONS", "").split(",") if k.strip()]


@functools.lru_cache(maxsize=None)
def asan_build():
    """Whether the build under test is ASan's (scripts/test puts ASan's
    runtime first in LD_PRELOAD for it). Asked once: it runs ldd."""
    out = subprocess.run(["ldd", str(TPH)], capture_output=True, text=True).stdout
    return bool(PRELOAD_FIRST) or "libasan" in out


class Python:
    """One interpreter, and how to run programs under the preload with it."""

    def __init__(self, key, path):
        self.key = key
        self.path = path
        self.version = tuple(int(x) for x in key.split("-")[-1].split("."))

    def __repr__(self):
        return "Python(%s)" % self.key

    def env(self, preload=True, **settings):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRACEPATCH_") and k not in ("LD_PRELOAD", "PYTHONPATH")}
        env["TMPDIR"] = SESSION_TMP
        if preload:
            env["LD_PRELOAD"] = str(PRELOAD)
            if PRELOAD_FIRST:
                env["LD_PRELOAD"] = PRELOAD_FIRST + ":" + env["LD_PRELOAD"]
        if TEST_CLOCK and preload:
            env["TRACEPATCH_CLOCK"] = TEST_CLOCK
        for k, v in settings.items():
            env["TRACEPATCH_" + k.upper()] = str(v)
        return env

    def run(self, cwd, program, *args, preload=True, timeout=60, **settings):
        """Runs programs/<program> (or a path) and returns the CompletedProcess."""
        prog = program if os.path.isabs(str(program)) else str(PROGRAMS / program)
        return subprocess.run([self.path, prog, *args], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, env=self.env(preload, **settings))

    def start(self, cwd, program, *args, **settings):
        prog = program if os.path.isabs(str(program)) else str(PROGRAMS / program)
        return subprocess.Popen([self.path, prog, *args], cwd=cwd, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env(True, **settings))


@pytest.fixture(params=WANTED)
def py(request):
    if SELECTED and request.param not in SELECTED:
        pytest.skip("this Python is not in TRACEPATCH_TEST_PYTHONS=" + ",".join(SELECTED))
    path = PYTHONS.get(request.param)
    if not path:
        pytest.skip("Python %s is not on this machine" % request.param)
    if not PRELOAD.exists():
        pytest.fail("no preload library at %s: build first" % PRELOAD)
    return Python(request.param, path)


def cache(cwd):
    return pathlib.Path(cwd) / ".tracepatch_cache"


def traces(cwd):
    """The trace files in cwd's cache, oldest first, parsed."""
    d = cache(cwd)
    if not d.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(d.glob("trace_*.json"))]


def only_trace(cwd):
    ts = traces(cwd)
    assert len(ts) == 1, "expected one trace, found %d" % len(ts)
    return ts[0]


def walk(nodes, depth=0, parent=None):
    """Yields (node, depth, parent) over a list of nodes, pre-order."""
    for n in nodes:
        yield n, depth, parent
        yield from walk(n.get("children", []), depth + 1, n)


def find(trace_or_nodes, qualname, module="__main__"):
    nodes = trace_or_nodes["trace"] if isinstance(trace_or_nodes, dict) else trace_or_nodes
    return [n for n, _d, _p in walk(nodes)
            if n["qualname"] == qualname and (module is None or n["module"] == module)]


def one(trace, qualname, module="__main__"):
    found = find(trace, qualname, module)
    assert len(found) == 1, "%s: expected one node, found %d" % (qualname, len(found))
    return found[0]


def wait_for(predicate, timeout=10.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class Interactive:
    """A program that prints `ready` and then obeys one command per line."""

    def __init__(self, proc):
        self.proc = proc
        assert self.readline() == "ready"

    def readline(self):
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError("program ended early: " + self.proc.stderr.read())
        return line.strip()

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.readline()

    def signal(self, signo=signal.SIGUSR1, pid=None):
        """Sends a signal, then a `ping`: Python runs a signal handler only
        when the main thread runs Python code, and a signal that lands just
        before a blocking read waits for the read to return."""
        os.kill(pid or self.proc.pid, signo)
        assert self.send("ping") == "pong"

    def finish(self, timeout=30):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err
