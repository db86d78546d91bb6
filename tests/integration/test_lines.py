"""Line mode: every executed line of chosen functions, with its variables."""
import pytest

from conftest import find, one, only_trace, walk

CHOSEN = "__main__:compute,__main__:fact"


def run(py, tmp_path, **settings):
    settings.setdefault("autostart", 1)
    settings.setdefault("line_functions", CHOSEN)
    r = py.run(tmp_path, "lines.py", **settings)
    assert r.returncode == 0 and r.stdout == "ok [1]\n", r.stderr
    return only_trace(tmp_path)


def first_compute(t):
    return [c for c in find(t, "compute") if c["args"] == "n=3"][0]


def test_steps_in_changed_mode(py, tmp_path):
    t = run(py, tmp_path)
    lines = first_compute(t)["lines"]
    assert lines["mode"] == "changed" and lines["steps_dropped"] == 0
    steps = [(s["line"] - lines["steps"][0]["line"], s["source"], s["vars"])
             for s in lines["steps"]]
    assert steps == [
        (0, "total = 0", ["total: int = 0"]),
        (1, "for i in range(n):", ["i: int = 0"]),
        (2, "total += i", []),
        (1, "for i in range(n):", ["i: int 0 -> 1"]),
        (2, "total += i", ["total: int 0 -> 1"]),
        (1, "for i in range(n):", ["i: int 1 -> 2"]),
        (2, "total += i", ["total: int 1 -> 3"]),
        (1, "for i in range(n):", []),
        (3, 'label = "done"', ["label: str = 'done'"]),
        (4, "return total", []),
    ]
    assert all(s["dt_ms"] >= 0 for s in lines["steps"])
    summary = {s["line"] - lines["steps"][0]["line"]: s for s in lines["summary"]}
    assert summary[1]["hits"] == 4 and summary[2]["hits"] == 3
    assert summary[1]["vars"]["i"] == {"count": 3, "first": ["0", "1", "2"],
                                       "last": ["0", "1", "2"]}


def test_all_and_none_modes(py, tmp_path):
    t = run(py, tmp_path, variable_mode="all", line_samples=1)
    steps = first_compute(t)["lines"]["steps"]
    assert steps[-1]["vars"] == ["n: int = 3", "total: int = 3", "i: int = 2",
                                 "label: str = 'done'"]
    summary = first_compute(t)["lines"]["summary"]
    assert all(len(v["first"]) <= 1 for s in summary for v in s["vars"].values())
    (tmp_path / ".tracepatch_cache").rename(tmp_path / "old")
    t = run(py, tmp_path, variable_mode="none")
    steps = first_compute(t)["lines"]["steps"]
    assert len(steps) == 10 and all("vars" not in s for s in steps)


def test_only_chosen_functions(py, tmp_path):
    t = run(py, tmp_path)
    assert "lines" not in one(t, "other") and "lines" not in one(t, "main")
    with_lines = {n["qualname"] for n, _d, _p in walk(t["trace"]) if "lines" in n}
    assert with_lines == {"compute", "fact"}


def test_recursion_and_threads(py, tmp_path):
    t = run(py, tmp_path)
    facts = find(t, "fact")
    assert len(facts) == 3 and all("lines" in f for f in facts)
    # `if n <= 1:` then the return line (the recursive call happens in it)
    assert [[s["source"] for s in f["lines"]["steps"]] for f in facts] == \
        [["if n <= 1:", "return n * fact(n - 1)"]] * 2 + [["if n <= 1:", "return 1"]]
    [threaded] = [c for c in find(t, "compute") if c["args"] == "n=2"]
    thread = [th for th in t["threads"] if th["name"] == "liner"]
    assert thread and threaded["lines"]["steps"][0]["source"] == "total = 0"


def test_max_steps(py, tmp_path):
    t = run(py, tmp_path, line_max_steps=4)
    lines = first_compute(t)["lines"]
    assert len(lines["steps"]) == 4 and lines["steps_dropped"] == 6


def test_comprehension_iterations_are_steps(py, tmp_path):
    t = run(py, tmp_path, line_functions=CHOSEN + ",__main__:comp")
    steps = one(t, "comp")["lines"]["steps"]
    on_comp = [s for s in steps if s["source"] == "squares = [i * i for i in range(n)]"]
    # the line itself, then one step per iteration (4), whatever the version
    assert len(on_comp) >= 5
    assert on_comp[-1]["vars"][-1] == "squares: list = [0, 1, 4, 9]"
    assert steps[-1]["source"] == "return squares"
