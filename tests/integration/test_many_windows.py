"""A long-lived process traced many times: once its windows are written it
holds what it held before the first one (docs/internals.md, "Idle": no
thread, no open file; a window's memory is given back when it is written)."""
import json
import re

from conftest import asan_build, cache, find
from test_faults_common import check_cache, run

PROG = "many_windows.py"
WINDOWS = 120
# Resident memory may still move a little after the warm-up windows (the
# allocator's free lists, the writer threads' stacks); a window's own
# memory kept would be ~0.6 MB each here, 60 MB over the 100 windows.
RSS_SLACK_KB = 4096


def held(result, when):
    return json.loads(result.stdout)[when]


def without_pipe_numbers(files):
    return [re.sub(r"pipe:\[\d+\]", "pipe:", f) for f in files]


def test_idle_after_set_up_holds_no_thread_and_no_file(py, tmp_path):
    plain = run(py, tmp_path, PROG, "0", preload=False)
    traced = run(py, tmp_path, PROG, "0")
    assert plain.returncode == traced.returncode == 0, traced.stderr
    mine, theirs = held(traced, "before"), held(plain, "before")
    assert mine["threads"] == theirs["threads"] == 3
    assert without_pipe_numbers(mine["files"]) == without_pipe_numbers(theirs["files"])


def test_many_windows_leave_nothing_behind(py, tmp_path):
    traced = run(py, tmp_path, PROG, str(WINDOWS), timeout=300, quiet=1)
    assert traced.returncode == 0, traced.stderr
    before, warm, after = (held(traced, w) for w in ("before", "warm", "after"))
    assert after["threads"] == before["threads"] == 3
    assert after["files"] == before["files"]
    ts = check_cache(cache(tmp_path))
    assert len(ts) == WINDOWS
    assert all(t["end_reason"] == "signal" for t in ts)
    # The main thread's work(5000) in each: what a kept window would hold.
    # (A background thread's work(50) caught as the window closed may have
    # no children yet: then the node has no "children" key.)
    assert all(sum(len(n.get("children", [])) == 5000 for n in find(t, "work")) == 1 for t in ts)
    if not asan_build():   # ASan holds freed memory back in its quarantine
        grew = after["rss_kb"] - warm["rss_kb"]
        assert grew < RSS_SLACK_KB, "RSS grew %d kB over %d windows" % (grew, WINDOWS - 20)
