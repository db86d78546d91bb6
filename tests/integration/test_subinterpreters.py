"""Sub-interpreters beside a window: only the main interpreter is traced."""
import pytest

from conftest import find, one, only_trace, walk


@pytest.mark.parametrize("settings", [{}, {"record_c_calls": 1}, {"ignore_modules": "json"}],
                         ids=["evaluator", "c-calls", "filtered"])
def test_subinterpreters_run_untraced_beside_a_window(py, tmp_path, settings):
    r = py.run(tmp_path, "subinterpreters.py", **settings)
    assert (r.returncode, r.stdout) == (0, "42\ndone\n"), r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    t = only_trace(tmp_path)
    assert t["end_reason"] == "signal"
    assert one(t, "main_work")["args"] == "x=21"
    assert one(t, "main_work")["return_value"] == "42"
    # in_sub runs in the main interpreter: once on the main thread, three
    # times on the worker; nothing the sub-interpreters ran is there.
    assert sorted(n["args"] for n in find(t, "in_sub")) == ["n=100"] + ["n=2000"] * 3
    names = {n["qualname"] for n, _, _ in walk(t["trace"])}
    assert not names & {"sub_work", "Box.__repr__"}, names
