"""Line mode: every executed line of chosen functions, with its variables."""
import subprocess

import pytest

from conftest import TPH, cache, find, one, only_trace, walk

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


# ---- lines of several statements (`a = 1; b = 2`) ----

STATEMENTS = ",".join("__main__:" + f for f in
                      ("three", "in_loop", "with_call", "comp_second", "one_line_if",
                       "fallback"))


def run_statements(py, tmp_path, chosen):
    r = py.run(tmp_path, "lines_statements.py", autostart=1, line_functions=chosen)
    assert r.returncode == 0 and r.stdout.startswith("ok "), r.stderr
    return r, only_trace(tmp_path)


def step_view(fn):
    """(line offset, statement index, statement text, vars) per step."""
    steps = fn["lines"]["steps"]
    first = fn["lineno"]
    return [(s["line"] - first, s.get("statement_index"), s.get("statement"), s["vars"])
            for s in steps]


def test_each_statement_is_a_step(py, tmp_path):
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    three = one(t, "three")
    assert step_view(three) == [
        (1, 1, "a = 1", ["a: int = 1"]),
        (1, 2, "b = 2", ["b: int = 2"]),
        (1, 3, "c = a + b", ["c: int = 3"]),
        (2, None, None, []),
    ]
    steps = three["lines"]["steps"]
    assert {s["source"] for s in steps[:3]} == {"a = 1; b = 2; c = a + b"}
    # the summary stays per line: the line ran once
    [row] = [r for r in three["lines"]["summary"] if r["line"] == steps[0]["line"]]
    assert row["hits"] == 1 and set(row["vars"]) == {"a", "b", "c"}
    [path] = cache(tmp_path).glob("trace_*.json")
    out = subprocess.run([str(TPH), "lines", str(path), "--function", "three"],
                         capture_output=True, text=True, timeout=30).stdout
    assert "  [1] a = 1\n        a: int = 1\n" in out
    assert "  [2] b = 2\n        b: int = 2\n" in out
    assert "  [3] c = a + b\n        c: int = 3\n" in out


def test_statements_in_a_loop(py, tmp_path):
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    body = [v for v in step_view(one(t, "in_loop")) if v[0] == 3]
    assert body == [
        (3, 1, "d = i", ["d: int = 0"]), (3, 2, "total += d", []),
        (3, 1, "d = i", ["d: int 0 -> 1"]), (3, 2, "total += d", ["total: int 0 -> 1"]),
        (3, 1, "d = i", ["d: int 1 -> 2"]), (3, 2, "total += d", ["total: int 1 -> 3"]),
    ]
    [row] = [r for r in one(t, "in_loop")["lines"]["summary"]
             if r["line"] == one(t, "in_loop")["lineno"] + 3]
    assert row["hits"] == 3


def test_call_in_a_middle_statement(py, tmp_path):
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    fn = one(t, "with_call")
    assert step_view(fn)[:3] == [
        (1, 1, "g = x", ["g: int = 4"]),
        (1, 2, "h = helper(g)", ["h: int = 40"]),
        (1, 3, "k = h + 1", ["k: int = 41"]),
    ]
    assert [c["name"] for c in fn["children"]] == ["helper"]


def test_comprehension_in_a_later_statement(py, tmp_path):
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    fn = one(t, "comp_second")
    on_line = [v for v in step_view(fn) if v[0] == 1]
    assert on_line[0] == (1, 1, "z = 0", ["z: int = 0"])
    # its iterations are steps of the statement that runs it
    assert len(on_line) >= 3
    assert {v[1:3] for v in on_line[1:]} == {(2, "sq = [j for j in range(n)]")}
    assert on_line[-1][3][-1] == "sq: list = [0, 1]"
    [row] = [r for r in fn["lines"]["summary"] if r["line"] == fn["lineno"] + 1]
    assert row["hits"] == len(on_line) - 1


def test_compound_statement_on_one_line_is_one_step(py, tmp_path):
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    assert step_view(one(t, "one_line_if")) == [
        (1, None, None, ["y: int = 0"]),
        (2, None, None, ["y: int 0 -> 1"]),
        (3, None, None, []),
    ]


def test_statements_not_told_apart_stay_one_step(py, tmp_path):
    # Before 3.11 there are no instruction columns: a conditional
    # expression makes the stack-depth method ambiguous, so the line is
    # one step (docs/format.md).
    _r, t = run_statements(py, tmp_path, STATEMENTS)
    first = step_view(one(t, "fallback"))
    if py.version >= (3, 11):
        assert first[:2] == [(1, 1, "m = x if x else 2", ["m: int = 5"]),
                             (1, 2, "n = 3", ["n: int = 3"])]
    else:
        assert first[0] == (1, None, None, ["m: int = 5", "n: int = 3"])
        assert one(t, "fallback")["lines"]["steps"][0]["source"] == "m = x if x else 2; n = 3"


def test_other_functions_get_no_line_events(py, tmp_path):
    r, t = run_statements(py, tmp_path, "__main__:plain")
    plains = find(t, "plain")
    assert len(plains) == 3 and len(find(t, "busy")) == 3
    steps = sum(len(p["lines"]["steps"]) for p in plains)
    assert steps == 9
    # every line event our callbacks received was one of plain's steps:
    # busy's loops (and main, and the rest) sent none
    assert t["stats"]["line_events"] == steps
    if py.version >= (3, 12):
        assert r.stdout == "ok busy=0 plain=1\n"


def test_no_line_mode_no_line_events(py, tmp_path):
    r = py.run(tmp_path, "lines_statements.py", autostart=1)
    assert r.returncode == 0, r.stderr
    assert only_trace(tmp_path)["stats"]["line_events"] == 0
