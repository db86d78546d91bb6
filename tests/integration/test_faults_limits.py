"""Fault matrix: a window that would use more memory than max_memory_mb
stops recording cleanly (issue 5)."""
import os
import subprocess

from conftest import PROGRAMS, cache, walk
from test_faults_common import check_cache


def run_measured(py, cwd, args, preload=True, **settings):
    """Runs fault_work.py; returns (status, stdout, stderr, max RSS in KiB)."""
    p = subprocess.Popen([py.path, str(PROGRAMS / "fault_work.py"), *args], cwd=cwd,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=py.env(preload, **settings))
    out, err = p.stdout.read(), p.stderr.read()
    _pid, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, out, err, usage.ru_maxrss


def test_max_memory_stops_cleanly(py, tmp_path):
    rc0, out0, _e, rss0 = run_measured(py, tmp_path, ["100000"], preload=False)
    rc, out, err, rss = run_measured(py, tmp_path, ["100000"], autostart=1, max_memory_mb=1,
                                     max_calls=10000000)
    assert (rc, out) == (rc0, out0) == (5, out0), err
    [t] = check_cache(cache(tmp_path))
    assert t["was_limited"] is True and t["limit_reason"] == "max_memory"
    assert t["dropped_calls"] > 100000
    assert 0 < t["call_count"] < 300000
    # The calls open when the limit hit still got their end.
    unfinished = [n for n, _d, _p in walk(t["trace"]) if n.get("unfinished")]
    assert len(unfinished) <= 1          # at most <module>, still running at exit
    # What we held stayed near the cap (plus the writer's buffer and our code).
    assert rss - rss0 < 24 * 1024, (rss, rss0)
    assert "window opened" in err and " calls -> " in err


def test_max_memory_with_many_threads(py, tmp_path):
    r = subprocess.run([py.path, str(PROGRAMS / "fault_threads.py"), "churn", "400"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60,
                       env=dict(py.env(True, max_memory_mb=1, max_calls=10000000),
                                FAULT_OPEN="signal"))
    assert r.returncode == 0 and r.stdout.startswith("churn 400"), r.stderr
    [t] = check_cache(cache(tmp_path))
    assert t["call_count"] == sum(th["call_count"] for th in t["threads"])
