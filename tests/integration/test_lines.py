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


# ---- compound statements with their body on the same line ----

COMPOUND = ",".join("__main__:" + f for f in
                    ("one_line_if", "one_line_for", "one_line_if_two", "one_line_while",
                     "one_line_elif_else", "one_line_for_comp"))


def on_line(fn, offset, args=None):
    """step_view of `fn`'s call (the one with `args`) on one of its lines."""
    return [v for v in step_view(fn) if v[0] == offset]


def calls(t, name):
    return {c["args"]: c for c in find(t, name)}


def test_one_line_for_body_statements_are_steps(py, tmp_path):
    _r, t = run_statements(py, tmp_path, COMPOUND)
    fn = one(t, "one_line_for")
    header = "for i in range(n):"
    if py.version >= (3, 11):
        # per iteration: the header (it sets i), then each body statement
        # with what it changed; the header again when the loop ends
        assert on_line(fn, 2) == [
            (2, 1, header, ["i: int = 0"]),
            (2, 2, "total += i", []),
            (2, 3, "total *= 2", []),
            (2, 1, header, ["i: int 0 -> 1"]),
            (2, 2, "total += i", ["total: int 0 -> 1"]),
            (2, 3, "total *= 2", ["total: int 1 -> 2"]),
            (2, 1, header, ["i: int 1 -> 2"]),
            (2, 2, "total += i", ["total: int 2 -> 4"]),
            (2, 3, "total *= 2", ["total: int 4 -> 8"]),
            (2, 1, header, []),
        ]
    else:
        # no columns before 3.11: one step per run of the line
        assert on_line(fn, 2) == [
            (2, None, None, ["i: int = 0"]),
            (2, None, None, ["total: int 0 -> 2", "i: int 0 -> 1"]),
            (2, None, None, ["total: int 2 -> 8", "i: int 1 -> 2"]),
            (2, None, None, []),
        ]
    # the summary stays per line: the header's runs (3 iterations, the end)
    [row] = [r for r in fn["lines"]["summary"] if r["line"] == fn["lineno"] + 2]
    assert row["hits"] == 4 and set(row["vars"]) == {"i", "total"}
    assert step_view(fn)[-1] == (3, None, None, [])
    if py.version >= (3, 11):
        [path] = cache(tmp_path).glob("trace_*.json")
        out = subprocess.run([str(TPH), "lines", str(path), "--function", "one_line_for",
                              "--steps"], capture_output=True, text=True, timeout=30).stdout
        assert ("  [1] for i in range(n):\n        i: int 0 -> 1\n" in out and
                "  [2] total += i\n        total: int 0 -> 1\n" in out and
                "  [3] total *= 2\n        total: int 1 -> 2\n" in out), out


def test_one_line_if_taken_and_not(py, tmp_path):
    _r, t = run_statements(py, tmp_path, COMPOUND)
    by_args = calls(t, "one_line_if_two")
    taken, skipped = on_line(by_args["x=1"], 2), on_line(by_args["x=0"], 2)
    if py.version >= (3, 11):
        assert taken == [(2, 1, "if x:", []),
                         (2, 2, "y = 1", ["y: int 0 -> 1"]),
                         (2, 3, "z = y + 1", ["z: int 0 -> 2"])]
        assert skipped == [(2, 1, "if x:", [])]
        # one body statement is split from its header too
        assert on_line(one(t, "one_line_if"), 2) == [(2, 1, "if x:", []),
                                                      (2, 2, "y = 1", ["y: int 0 -> 1"])]
    else:
        assert taken == [(2, None, None, ["y: int 0 -> 1", "z: int 0 -> 2"])]
        assert skipped == [(2, None, None, [])]
        assert on_line(one(t, "one_line_if"), 2) == [(2, None, None, ["y: int 0 -> 1"])]
    for fn in by_args.values():
        [row] = [r for r in fn["lines"]["summary"] if r["line"] == fn["lineno"] + 2]
        assert row["hits"] == 1


def test_one_line_while(py, tmp_path):
    _r, t = run_statements(py, tmp_path, COMPOUND)
    steps = on_line(one(t, "one_line_while"), 1)
    if py.version >= (3, 11):
        # the test, the body, ... and the test that ends the loop
        assert steps == [(1, 1, "while n:", []), (1, 2, "n -= 1", ["n: int 2 -> 1"]),
                         (1, 1, "while n:", []), (1, 2, "n -= 1", ["n: int 1 -> 0"]),
                         (1, 1, "while n:", [])]
    else:
        assert [v[1:3] for v in steps] == [(None, None)] * len(steps)
        assert [var for v in steps for var in v[3]] == ["n: int 2 -> 1", "n: int 1 -> 0"]


def test_elif_and_else_on_one_line(py, tmp_path):
    _r, t = run_statements(py, tmp_path, COMPOUND)
    by_args = calls(t, "one_line_elif_else")
    # `else:` has no code: its body's statements are 1, 2 as on a plain line
    assert on_line(by_args["x=0"], 3) == [(3, 1, "y = 4", ["y: int = 4"]),
                                          (3, 2, "z = 5", ["z: int = 5"])]
    if py.version >= (3, 11):
        assert on_line(by_args["x=1"], 2) == [(2, 1, "elif x:", []),
                                              (2, 2, "y = 2", ["y: int = 2"]),
                                              (2, 3, "z = 3", ["z: int = 3"])]
        assert on_line(by_args["x=0"], 2) == [(2, 1, "elif x:", [])]


def test_comprehension_in_a_loop_body(py, tmp_path):
    _r, t = run_statements(py, tmp_path, COMPOUND)
    steps = on_line(one(t, "one_line_for_comp"), 1)
    if py.version < (3, 11):
        return
    # iterations of the comprehension are steps of its statement (how many
    # depends on the version), never of the header or the next statement
    heads = [k for k, v in enumerate(steps) if v[1] == 1]
    assert len(heads) == 3 and steps[-1][1] == 1
    for a, b in zip(heads, heads[1:]):
        body = [v[1] for v in steps[a + 1:b]]
        assert body[0] == 2 and body[-1] == 3 and set(body[:-1]) == {2}
    assert steps[heads[2] - 1] == (1, 3, "k = len(sq)", ["k: int 0 -> 1"])


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
