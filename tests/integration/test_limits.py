"""Limits and filters: max_calls, max_depth, max_repr, max_seconds,
ignore_modules, include_modules."""
import json
import re

from conftest import find, one, only_trace, walk


def run(py, tmp_path, *args, **settings):
    settings.setdefault("autostart", 1)
    r = py.run(tmp_path, "limits.py", *args, **settings)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "done\n"
    return r, only_trace(tmp_path)


def count(t):
    return sum(1 for _ in walk(t["trace"]))


def test_max_calls_stops_recording_but_finishes_open_calls(py, tmp_path):
    r, t = run(py, tmp_path, "500", max_calls=100)
    assert t["call_count"] == count(t) == 100
    assert t["was_limited"] and t["limit_reason"] == "max_calls"
    assert t["end_reason"] in ("max_calls", "exit")
    assert t["dropped_calls"] >= 400
    main = one(t, "main")
    # Open when the limit hit, it still gets its end and return value.
    assert main["return_value"] == "None" and "unfinished" not in main
    assert len(find(t, "leaf")) < 100


RACE = """\
import threading, time
started = threading.Event()
class Slow:
    def __repr__(self):
        started.set()
        time.sleep(0.3)   # other threads run: the GIL is let go
        return "Slow()"
def busy():
    started.wait()
    end = time.monotonic() + 0.2
    while time.monotonic() < end:
        tick()
def tick():
    pass
def slow(x):
    return 1
worker = threading.Thread(target=busy)
worker.start()
slow(Slow())
worker.join()
print("done")
"""


def test_max_calls_holds_while_a_repr_lets_other_threads_record(py, tmp_path):
    # slow() is counted when it starts: while its argument's __repr__
    # sleeps, the worker fills the rest of max_calls, and no more.
    prog = tmp_path / "race.py"
    prog.write_text(RACE)
    r = py.run(tmp_path, str(prog), autostart=1, max_calls=50, include_modules="__main__")
    assert r.returncode == 0 and r.stdout == "done\n", r.stderr
    t = only_trace(tmp_path)
    assert t["call_count"] == count(t) == 50, (t["call_count"], count(t))
    assert one(t, "slow")["args"] == "x=Slow()"
    assert t["limit_reason"] == "max_calls"


def test_max_depth(py, tmp_path):
    _r, t = run(py, tmp_path, "1", max_depth=10)
    assert t["limit_reason"] == "max_depth" and t["was_limited"]
    assert t["stats"]["max_depth_reached"] == 10
    assert max(d for _n, d, _p in walk(t["trace"])) == 9
    assert t["call_count"] == count(t)
    deepest = find(t, "deep")
    assert len(deepest) == 8  # <module> and main above, deep at depths 3 to 10
    assert all(d["return_value"] == "'bottom'" for d in deepest)


def test_max_repr_bounds_every_value(py, tmp_path):
    _r, t = run(py, tmp_path, "1", max_repr=20)
    bigs = find(t, "big")
    cut = [repr(v)[:17] + "..." for v in ("x" * 1000, list(range(1000)))]
    assert [b["args"] for b in bigs] == ["value=" + c for c in cut]
    for b in bigs:
        assert len(b["return_value"]) == 20 and b["return_value"].endswith("...")


def test_ignored_module_calls_still_recorded_under_ancestor(py, tmp_path):
    _r, t = run(py, tmp_path, "1", ignore_modules="helper_mod")
    helper = one(t, "through_helper")
    assert [c["qualname"] for c in helper["children"]] == ["leaf", "leaf"]
    assert not find(t, "call_back", None) and not find(t, "twice", None)
    assert t["config"]["ignore_modules"] == ["helper_mod"]


def test_include_modules_allow_list(py, tmp_path):
    _r, t = run(py, tmp_path, "1", include_modules="helper_mod")
    assert {n["module"] for n, _d, _p in walk(t["trace"])} == {"helper_mod"}
    [call_back] = find(t, "call_back", "helper_mod")
    assert [c["qualname"] for c in call_back["children"]] == ["twice"]


def test_module_prefix_on_dot_boundary(py, tmp_path):
    _r, t = run(py, tmp_path, "1", ignore_modules="helper")
    assert find(t, "call_back", "helper_mod"), "helper does not cover helper_mod"


def test_max_seconds_closes_the_window(py, tmp_path):
    prog = tmp_path / "slow.py"
    prog.write_text("import time\n"
                    "def tick(i):\n    return i\n"
                    "for i in range(60):\n    tick(i)\n    time.sleep(0.01)\n"
                    "print('done')\n")
    r = py.run(tmp_path, str(prog), autostart=1, max_seconds=0.2)
    assert r.returncode == 0 and r.stdout == "done\n"
    t = only_trace(tmp_path)
    assert t["end_reason"] == "max_seconds" and t["limit_reason"] == "max_seconds"
    assert re.search(r" calls -> \S+\.json \(max_seconds reached\)\n", r.stderr), r.stderr
    assert 5 < len(find(t, "tick")) < 60
    assert t["duration_ms"] < 1000
