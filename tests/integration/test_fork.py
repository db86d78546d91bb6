"""fork, prefork servers and multiprocessing: every process on its own."""
import os
import signal
import subprocess
import time

import pytest

from conftest import PROGRAMS, Interactive, asan_build, find, traces, wait_for


def test_prefork_workers_signalled_one_by_one(py, tmp_path):
    app = Interactive(py.start(tmp_path, "prefork.py"))
    pids = [int(p) for p in app.send("pids").split()]
    app.signal(pid=pids[0])
    assert app.send("work") == "worked"
    app.signal(pid=pids[0])
    [t] = wait_for(lambda: traces(tmp_path), what="worker trace")
    assert t["pid"] == pids[0]
    assert [w["args"] for w in find(t, "work")] == ["who='worker-%d'" % pids[0]]
    app.signal()
    assert app.send("work") == "worked"
    app.signal()
    wait_for(lambda: len(traces(tmp_path)) == 2, what="parent trace")
    rc, _out, err = app.finish()
    assert rc == 0, err
    parent = [t for t in traces(tmp_path) if t["pid"] == app.proc.pid]
    assert len(parent) == 1
    assert [w["args"] for w in find(parent[0], "work")] == ["who='parent'"]


def test_window_open_at_fork_is_not_copied(py, tmp_path):
    app = Interactive(py.start(tmp_path, "prefork.py"))
    app.signal()
    assert app.send("fork-in-window") == "forked"
    app.signal()
    wait_for(lambda: traces(tmp_path), what="trace")
    rc, _out, err = app.finish()
    assert rc == 0, err
    # Forking from a second thread warns on 3.12+ by itself; we add none.
    plain = subprocess.run([py.path, str(PROGRAMS / "prefork.py")], cwd=tmp_path, text=True,
                           input="fork-in-window\nquit\n", capture_output=True,
                           env=py.env(preload=False))
    assert err.count("DeprecationWarning") == plain.stderr.count("DeprecationWarning")
    [t] = traces(tmp_path)
    assert t["pid"] == app.proc.pid
    assert not [w for w in find(t, "work") if w["args"] == "who='child'"]
    assert len(find(t, "child_then_exit")) == 2


def settled_traces(tmp_path, at_least, quiet_s=0.5, stderr=""):
    """Helper processes (forkserver, resource tracker, pool workers ended
    by SIGTERM) write their files after the parent exits: wait until at
    least `at_least` exist and none has appeared for `quiet_s`. On a
    timeout the message names the files there and the run's stderr."""
    seen = {"n": -1, "since": time.monotonic()}

    def settled():
        n = len(traces(tmp_path))
        if n != seen["n"]:
            seen["n"], seen["since"] = n, time.monotonic()
        return n >= at_least and time.monotonic() - seen["since"] >= quiet_s

    try:
        wait_for(settled, timeout=20, what="%d trace files" % at_least)
    except AssertionError as e:
        found = [(t["pid"], t["argv"][-2:], t["end_reason"]) for t in traces(tmp_path)]
        raise AssertionError("%s; found %r; stderr:\n%s" % (e, found, stderr)) from None
    return traces(tmp_path)


@pytest.mark.parametrize("method, files", [("fork", 1), ("spawn", 4), ("forkserver", 3)])
def test_multiprocessing(py, tmp_path, method, files):
    """The files: fork, the parent's alone; spawn, the parent's, the
    resource tracker's and each worker's (fresh interpreters open their own
    window at start-up); forkserver, the parent's, the tracker's and the
    server's (workers it forks while its window is open record nothing).
    All are counted: waiting for fewer let a worker's file, written when
    the pool ends it, arrive after the test had read the others."""
    r = py.run(tmp_path, "mp.py", method, autostart=1, max_calls=200000)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "285\n", r.stderr
    ts = settled_traces(tmp_path, files, stderr=r.stderr)
    found = ([(t["pid"], t["argv"][-2:], t["end_reason"]) for t in ts], r.stderr)
    assert len(ts) == files, found
    assert len({t["pid"] for t in ts}) == len(ts), found
    squares = [s for t in ts for s in find(t, "square", "__mp_main__") + find(t, "square")]
    if method == "spawn":
        assert sorted(int(s["args"][2:]) for s in squares) == list(range(10)), found
    else:
        assert not squares, found


@pytest.mark.skipif(asan_build(), reason="ASan's allocator (GCC 12) is not fork-safe: a child "
                    "forked through libc while our writer thread allocates can wait for ever "
                    "for the allocator's lock (glibc's malloc resets its locks in the child)")
def test_fork_through_libc_while_a_trace_is_written(py, tmp_path):
    # The child inherited the count of writer threads, not the threads:
    # waiting for them at its exit hung for ever (an audit found it).
    r = py.run(tmp_path, "libc_fork.py", timeout=30, max_calls=1000000)
    assert (r.returncode, r.stdout) == (0, "child running\nchild status 0\n"), r.stderr
    assert len(traces(tmp_path)) == 1


def test_fork_through_libc_with_a_window_open(py, tmp_path):
    # The child is not the window's owner: its exit writes nothing (it
    # wrote the parent's window under its own pid).
    r = py.run(tmp_path, "libc_fork.py", "open", timeout=30, max_calls=1000000)
    assert (r.returncode, r.stdout) == (0, "child running\nchild status 0\n"), r.stderr
    assert len(traces(tmp_path)) == 1
