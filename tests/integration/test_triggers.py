"""What opens and closes a window: signals, the trigger file, start-up."""
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import Interactive, find, traces, wait_for


def toggle_round(app, tmp_path, signo, expect_files):
    app.signal(signo)
    assert app.send("work") == "worked"
    app.signal(signo)
    wait_for(lambda: len(traces(tmp_path)) == expect_files, what="trace file")


@pytest.mark.parametrize("setting, signo, name", [
    (None, signal.SIGUSR1, "SIGUSR1"),
    ("USR2", signal.SIGUSR2, "SIGUSR2"),
    ("RTMIN+3", signal.SIGRTMIN + 3, "SIGRTMIN+3"),
])
def test_signal_toggles_windows(py, tmp_path, setting, signo, name):
    settings = {"signal": setting} if setting else {}
    app = Interactive(py.start(tmp_path, "serve.py", **settings))
    toggle_round(app, tmp_path, signo, 1)
    assert app.send("work") == "worked"   # between windows: not recorded
    toggle_round(app, tmp_path, signo, 2)
    rc, out, err = app.finish()
    assert rc == 0 and out.strip().endswith("served 3")
    first, second = traces(tmp_path)
    assert [h["args"] for h in find(first, "handle")] == ["request_id=1"]
    assert [h["args"] for h in find(second, "handle")] == ["request_id=3"]
    for t in (first, second):
        assert t["trigger"] == "signal" and t["end_reason"] == "signal"
        assert find(t, "handle")[0]["return_value"] == "{'id': %s, 'ok': True}" \
            % find(t, "handle")[0]["args"].split("=")[1]
    pid = app.proc.pid
    lines = err.strip().splitlines()
    opened = "tracepatch[%d]: window opened (signal %s)" % (pid, name)
    written = re.compile(r"tracepatch\[%d\]: \d+ calls -> \.tracepatch_cache/trace_\S+_%d\.json"
                         % (pid, pid))
    # The writer thread says where the first file went once it is renamed
    # into place, which the test waits for before opening the second window:
    # that line and the second "opened" can come in either order.
    assert lines[0] == opened and len(lines) == 4, lines
    assert sorted(l == opened for l in lines[1:3]) == [False, True], lines
    assert [bool(written.fullmatch(l)) for l in lines].count(True) == 2, lines
    assert written.fullmatch(lines[3]), lines


def test_a_window_a_limit_closed_says_the_next_signal_opens_a_new_one(py, tmp_path):
    # Sent by hand, the second signal of a pair would open a new window once
    # max_calls ended the first: the line saying where the first went says so.
    # Only handle(): reading stdin makes calls of its own (codecs).
    app = Interactive(py.start(tmp_path, "serve.py", max_calls=2, include_modules="__main__"))
    app.signal()
    for _ in range(3):
        assert app.send("work") == "worked"
    wait_for(lambda: len(traces(tmp_path)) == 1, what="trace file")
    app.signal()
    assert app.send("work") == "worked"
    app.signal()
    wait_for(lambda: len(traces(tmp_path)) == 2, what="second trace file")
    rc, _out, err = app.finish()
    assert rc == 0
    first, second = traces(tmp_path)
    assert first["end_reason"] == "max_calls" and second["end_reason"] == "signal"
    assert [h["args"] for h in find(second, "handle")] == ["request_id=4"]
    written = [l for l in err.splitlines() if " calls -> " in l]
    assert len(written) == 2 and err.count("window opened (signal SIGUSR1)") == 2, err
    assert written[0].endswith(".json (max_calls reached; the next SIGUSR1 opens a new window)")
    assert written[1].endswith(".json"), written


def test_signal_none_leaves_the_signal_alone(py, tmp_path):
    proc = py.start(tmp_path, "serve.py", signal="none")
    Interactive(proc)
    proc.send_signal(signal.SIGUSR1)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGUSR1
    assert not traces(tmp_path)


def test_quiet_says_nothing(py, tmp_path):
    app = Interactive(py.start(tmp_path, "serve.py", quiet="true"))
    toggle_round(app, tmp_path, signal.SIGUSR1, 1)
    rc, _out, err = app.finish()
    assert rc == 0 and err == ""


def test_trigger_file_keeps_window_open(py, tmp_path):
    trigger = tmp_path / "trace-now"
    app = Interactive(py.start(tmp_path, "serve.py", trigger=str(trigger)))
    assert app.send("work") == "worked"
    trigger.write_text("")
    time.sleep(0.5)   # the watcher looks every 100 ms
    assert app.send("work") == "worked"
    assert app.send("work") == "worked"
    trigger.unlink()
    [t] = wait_for(lambda: traces(tmp_path), what="trace file")
    assert t["trigger"] == "trigger_file" and t["end_reason"] == "trigger_file"
    assert [h["args"] for h in find(t, "handle")] == ["request_id=2", "request_id=3"]
    rc, _out, err = app.finish()
    assert rc == 0
    assert "window opened (trigger file %s)" % trigger in err


def test_trigger_file_watcher_steps_aside_while_the_app_forks(py, tmp_path):
    # The watcher is a thread, and from 3.12 os.fork() warns when a process
    # has more than one. It is joined before each fork and started again
    # after; what it knew (the file was there) survives, so a file removed
    # just after a fork still closes the window.
    trigger = tmp_path / "trace-now"
    app = Interactive(py.start(tmp_path, "forker.py", trigger=str(trigger)))
    assert app.send("fork") == "forked 0"
    trigger.write_text("")
    time.sleep(0.5)   # the watcher looks every 100 ms
    assert app.send("work") == "worked"
    assert app.send("fork") == "forked 0"
    trigger.unlink()
    [t] = wait_for(lambda: traces(tmp_path), what="trace file")
    assert t["end_reason"] == "trigger_file"
    assert [h["args"] for h in find(t, "handle")] == ["request_id=1"]
    assert [f["return_value"] for f in find(t, "fork_child")] == ["0"]
    assert app.send("fork") == "forked 0"
    trigger.write_text("")
    time.sleep(0.5)
    assert app.send("work") == "worked"
    trigger.unlink()
    wait_for(lambda: len(traces(tmp_path)) == 2, what="second trace file")
    assert [h["args"] for h in find(traces(tmp_path)[1], "handle")] == ["request_id=2"]
    rc, _out, err = app.finish()
    assert rc == 0, err
    assert "DeprecationWarning" not in err, err


def test_autostart_with_label(py, tmp_path):
    r = py.run(tmp_path, "basic.py", autostart="yes", default_label="boot")
    assert r.returncode == 0
    [t] = traces(tmp_path)
    assert t["trigger"] == "startup" and t["label"] == "boot"
    assert os.listdir(tmp_path / ".tracepatch_cache")


def test_a_call_running_across_two_windows_ends_in_neither(py, tmp_path):
    # outer() began in the first window and returns in the second: the
    # first shows it unfinished, the second never saw it begin, so its
    # calls there are roots, and nothing of it is written twice.
    r = py.run(tmp_path, "reopen.py", autostart=1)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["outer done", "8"]
    wait_for(lambda: len(traces(tmp_path)) == 2, what="two trace files")
    first, second = traces(tmp_path)
    [outer] = find(first, "outer")
    assert outer.get("unfinished") is True and outer["return_value"] is None
    assert [c["args"] for c in outer["children"] if c["qualname"] == "inner"] == ["k=1"]
    assert find(second, "outer") == []
    roots = [(n["qualname"], n["args"], n["return_value"]) for n in second["trace"]]
    assert ("inner", "k=3", "6") in roots and ("inner", "k=4", "8") in roots
    assert [n["args"] for n in find(second, "inner")] == ["k=3", "k=4"]


def test_trigger_file_in_a_short_run_prints_nothing_of_python_s(py, tmp_path):
    # The watcher opens the window from its own thread and asks the main
    # thread for the terminating signals' handlers; 3.8 printed
    # "SystemError: Py_AddPendingCall: cannot add pending calls (Python
    # shutting down)" when that came during finalization (an audit).
    trigger = tmp_path / "trace-me"
    trigger.write_text("")
    for _ in range(5):
        r = subprocess.run([py.path, "-c", "pass"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=60, env=py.env(trigger=trigger))
        assert r.returncode == 0
        assert [l for l in r.stderr.splitlines() if not l.startswith("tracepatch[")] == [], r.stderr
