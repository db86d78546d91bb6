"""Fault matrix: thread churn, fork during a window, exit with threads
still running (issue 5)."""
import re

import pytest

from conftest import cache, find, one
from test_faults_common import check_cache, run

PROG = "fault_threads.py"
PID = re.compile(r"pid=\d+")
WARN = ("-W", "always::DeprecationWarning")


def deprecations(stderr):
    return [l for l in stderr.splitlines() if "DeprecationWarning" in l]


def same(py, cwd, *args, pyargs=WARN, timeout=120, open_by="signal", **settings):
    """Plain and traced: same stdout, status, and the same DeprecationWarnings
    (none of them ours). The window is opened by the program itself with
    SIGUSR1 once `threading` is imported (open_by="signal"), or at start-up."""
    env = {"FAULT_OPEN": open_by}
    if open_by == "startup":
        settings["autostart"] = 1
    plain = run(py, cwd, PROG, *args, preload=False, pyargs=pyargs, timeout=timeout)
    traced = run(py, cwd, PROG, *args, pyargs=pyargs, timeout=timeout, env_extra=env,
                 **settings)
    assert traced.returncode == plain.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout
    assert [PID.sub("pid=N", l) for l in deprecations(traced.stderr)] == \
        [PID.sub("pid=N", l) for l in deprecations(plain.stderr)], traced.stderr
    return plain, traced


def test_thread_churn_1000_threads(py, tmp_path):
    _p, traced = same(py, tmp_path, "churn", "1000", max_calls=100000)
    [t] = check_cache(cache(tmp_path))
    assert t["was_limited"] is False
    bodies = find(t, "churn.<locals>.body") or find(t, "body")
    assert len(bodies) == 1000
    assert all(b["children"][0]["qualname"] == "work" for b in bodies)
    assert len(find(t, "square")) == 1000 + 2  # the threads' and main's work(1), work(2)
    assert sum(th["call_count"] for th in t["threads"]) == t["call_count"]
    assert len(t["threads"]) >= 2
    # Every root of a worker thread is its target, under its own thread id.
    roots = [n for n in t["trace"] if n["qualname"].endswith("body")]
    assert len(roots) == 1000 and all("thread" in n for n in roots)


@pytest.mark.parametrize("where", ["fork", "fork-thread"])
@pytest.mark.parametrize("child_exit", ["exit", "_exit"])
def test_fork_in_a_window(py, tmp_path, where, child_exit):
    _p, traced = same(py, tmp_path, where, child_exit)
    # Only the parent writes; the child does not write the parent's window.
    [t] = check_cache(cache(tmp_path))
    assert t["end_reason"] == "exit" and t["trigger"] == "signal"
    assert not find(t, "child_work"), "the child's calls ended up in the parent's trace"
    forked = one(t, "do_fork")
    assert forked["return_value"] == "None" and forked["exception"] is None
    assert len(find(t, "work")) == 2  # work(1), work(2); never the child's work(7)
    assert traced.stderr.count(" calls -> ") == 1


def test_fork_child_gets_its_own_window(py, tmp_path):
    """The child of a fork keeps the signal trigger and writes its own
    file with its own pid, holding only its own calls."""
    code = tmp_path / "forkwin.py"
    code.write_text(
        "import os, signal, sys\n"
        "def child_work():\n    return 7\n"
        "def parent_work():\n    return 8\n"
        "parent_work()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.kill(os.getpid(), signal.SIGUSR1)\n"
        "    child_work()\n"
        "    os.kill(os.getpid(), signal.SIGUSR1)\n"
        "    sys.exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "parent_work()\n"
        "print('ok')\n")
    r = run(py, tmp_path, str(code), autostart=1)
    assert r.returncode == 0 and r.stdout == "ok\n", r.stderr
    ts = check_cache(cache(tmp_path))
    assert len(ts) == 2, r.stderr
    by_pid = {t["pid"]: t for t in ts}
    child = [t for t in ts if t["trigger"] == "signal"]
    parent = [t for t in ts if t["trigger"] == "startup"]
    assert len(child) == len(parent) == 1 and len(by_pid) == 2
    assert [n["qualname"] for n in child[0]["trace"]] == ["child_work"]
    assert len(find(parent[0], "parent_work")) == 2 and not find(parent[0], "child_work")


def test_exit_with_window_open_and_daemon_threads_running(py, tmp_path):
    _p, traced = same(py, tmp_path, "finalize", "8", max_calls=1000000)
    [t] = check_cache(cache(tmp_path))
    assert t["end_reason"] == "exit"
    assert len(find(t, "work")) > 8
    # Nodes still running at exit are marked unfinished, not dropped.
    assert any(n.get("unfinished") for n in t["trace"] if "spin" in n["qualname"])


def test_threads_started_after_an_autostart_window_opened(py, tmp_path):
    """A window opened at start-up, before the app imports threading, must
    still record the threads the app starts later."""
    _p, traced = same(py, tmp_path, "churn", "20", open_by="startup")
    [t] = check_cache(cache(tmp_path))
    # Before 3.11 a nested function's qualname is rebuilt as its bare name.
    assert len(find(t, "churn.<locals>.body") or find(t, "body")) == 20


def test_fork_child_keeps_the_default_sigterm(py, tmp_path):
    code = tmp_path / "term.py"
    code.write_text(
        "import os, signal, sys\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print('child', signal.getsignal(signal.SIGTERM), flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n")
    plain = run(py, tmp_path, str(code), preload=False)
    traced = run(py, tmp_path, str(code), autostart=1)
    # IntEnum members print as their value from 3.11 on.
    assert traced.stdout == plain.stdout, traced.stderr
    assert plain.stdout in ("child Handlers.SIG_DFL\n", "child 0\n")


def test_threads_starting_together_with_an_audit_hook(py, tmp_path):
    """A window that uses the trace function (here: C calls recorded) while
    the app has a Python audit hook that releases the GIL on sys.settrace:
    on 3.10 and 3.11 a thread calling sys.settrace() while another one is
    inside it dies of a RuntimeError before its target runs (CPython
    gh-98257), and threading._trace_hook made every new thread call it.
    There the window leaves threading's hook alone and says so; every
    thread runs."""
    prog = tmp_path / "together.py"
    prog.write_text(
        "import os, signal, sys, threading, time\n"
        "def hook(event, args):\n"
        "    if event == 'sys.settrace':\n        time.sleep(0.0001)\n"
        "sys.addaudithook(hook)\n"
        "done = []\n"
        "def work(i):\n    done.append(i)\n"
        "os.kill(os.getpid(), signal.SIGUSR1)\ntime.sleep(0.01)\n"
        "ts = [threading.Thread(target=work, args=(i,)) for i in range(200)]\n"
        "for t in ts:\n    t.start()\n"
        "for t in ts:\n    t.join()\n"
        "os.kill(os.getpid(), signal.SIGUSR1)\ntime.sleep(0.01)\n"
        "print(len(done))\n")
    r = run(py, tmp_path, str(prog), record_c_calls=1)
    assert (r.returncode, r.stdout) == (0, "200\n"), r.stderr
    assert "RuntimeError" not in r.stderr
    said = "the app has audit hooks" in r.stderr
    assert said == (py.version[:2] in ((3, 10), (3, 11))), r.stderr
    [t] = check_cache(cache(tmp_path))
    assert t["end_reason"] == "signal"


def test_threads_ending_while_the_trace_function_is_set(py, tmp_path):
    """Setting the trace function on each thread raised an audit event
    (3.9-3.11): an app hook that sleeps there let a short-lived thread end
    and its state be freed while tracepatch was writing into it, or about
    to read the next thread from it (a crash). Our own calls raise no
    event now: the app's hook sees only the app's."""
    prog = tmp_path / "ending.py"
    prog.write_text(
        "import sys, threading, time\n"
        "seen = []\n"
        "def hook(event, args):\n"
        "    if event == 'sys.settrace':\n"
        "        seen.append(event)\n        time.sleep(0.002)\n"
        "sys.addaudithook(hook)\n"
        "def short():\n"
        "    end = time.perf_counter() + 0.001\n"
        "    while time.perf_counter() < end:\n        pass\n"
        "def f(i):\n    return i\n"
        "stop = []\n"
        "def spawner():\n"
        "    while not stop:\n"
        "        ts = [threading.Thread(target=short) for _ in range(8)]\n"
        "        for t in ts:\n            t.start()\n"
        "        for t in ts:\n            t.join()\n"
        "sp = threading.Thread(target=spawner)\nsp.start()\n"
        "end = time.time() + 3\n"
        "while time.time() < end:\n"
        "    for i in range(2000):\n        f(i)\n"
        "stop.append(1)\nsp.join()\n"
        "print('done', len(seen))\n")
    r = run(py, tmp_path, str(prog), autostart=1, line_functions="__main__:short",
            max_calls=10000000)
    assert r.returncode == 0 and r.stdout.startswith("done "), r.stderr
