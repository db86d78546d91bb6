"""Fault matrix: the trigger file (issue 5). Owned by another user or a
symlink: refused with one line; created and removed rapidly: every window
that opened is written, each file valid."""
import os
import time

import pytest

from conftest import Interactive, cache, find, traces, wait_for
from test_faults_common import check_cache, our_lines, popen

APP = "fault_signals.py"


def start(py, tmp_path, trigger):
    return Interactive(popen(py, tmp_path, APP, trigger=str(trigger)))


def refused(err):
    return [l for l in our_lines(err) if "refused" in l]


def test_trigger_file_owned_by_another_user(py, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    trig = tmp_path / "trigger"
    trig.write_text("")
    os.chown(trig, 65534, 65534)
    app = start(py, tmp_path, trig)
    time.sleep(0.3)                       # a few polls: refused once, not each time
    assert app.send("work 3") == "worked 3"
    time.sleep(0.3)
    os.chown(trig, os.geteuid(), os.getegid())   # now it is ours: obeyed
    time.sleep(0.3)
    assert app.send("work 2") == "worked 2"
    trig.unlink()
    # traces() sees only renamed (complete) files: check_cache() asserts that no
    # temporary file is left, which is only true once the writer is done
    wait_for(lambda: traces(tmp_path), timeout=10, what="the trace")
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    [line] = refused(err)
    assert line.endswith("trigger file %s refused: it belongs to another user" % trig), line
    [t] = check_cache(cache(tmp_path))
    assert t["trigger"] == "trigger_file" and t["end_reason"] == "trigger_file"
    assert len(find(t, "branch")) == 2


def test_trigger_file_symlink_refused(py, tmp_path):
    real = tmp_path / "real"
    real.write_text("")
    trig = tmp_path / "trigger"
    os.symlink(real, trig)
    app = start(py, tmp_path, trig)
    time.sleep(0.35)
    assert app.send("work 3") == "worked 3"
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    [line] = refused(err)
    assert line.endswith("trigger file %s refused: it is a symlink" % trig), line
    assert not cache(tmp_path).exists()


def test_trigger_file_dangling_symlink_refused(py, tmp_path):
    trig = tmp_path / "trigger"
    os.symlink(tmp_path / "nowhere", trig)
    app = start(py, tmp_path, trig)
    time.sleep(0.25)
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    assert len(refused(err)) == 1
    assert not cache(tmp_path).exists()


def test_trigger_file_created_and_removed_rapidly(py, tmp_path):
    trig = tmp_path / "trigger"
    app = start(py, tmp_path, trig)
    app.proc.stdin.write("spin 1.1\n")
    app.proc.stdin.flush()
    end = time.monotonic() + 0.9
    toggles = 0
    while time.monotonic() < end:
        trig.write_text("")
        time.sleep(0.003)
        trig.unlink()
        time.sleep(0.003)
        toggles += 1
    assert app.readline() == "spun"
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    ts = check_cache(cache(tmp_path))
    opened = err.count("window opened (trigger file")
    assert opened == err.count(" calls -> ") == len(ts), err
    assert toggles > 50
    assert all(t["trigger"] == "trigger_file" for t in ts)


def test_trigger_file_kept_open_across_exit(py, tmp_path):
    trig = tmp_path / "trigger"
    trig.write_text("")
    app = start(py, tmp_path, trig)
    time.sleep(0.3)
    assert app.send("work 4") == "worked 4"
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    [t] = check_cache(cache(tmp_path))
    assert t["trigger"] == "trigger_file" and t["end_reason"] == "exit"
    assert len(find(t, "branch")) == 4
