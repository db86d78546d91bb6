"""Shapes of programs: generators, coroutines, asyncio tasks, threads."""
import pytest

from conftest import find, one, only_trace, walk


def run(py, tmp_path, program, *args, **settings):
    settings.setdefault("autostart", 1)
    settings.setdefault("max_calls", 200000)
    r = py.run(tmp_path, program, *args, **settings)
    assert r.returncode == 0, r.stderr
    return r, only_trace(tmp_path)


@pytest.mark.parametrize("n, delay", [(5, 0.05)])
def test_asyncio_tasks_are_roots_with_stitched_awaits(py, tmp_path, n, delay):
    r, t = run(py, tmp_path, "tasks.py", str(n), str(delay))
    assert r.stdout == "%d\n" % sum(2 * i for i in range(n))
    workers = find(t, "worker")
    assert sorted(w["args"] for w in workers) == ["i=%d" % i for i in range(n)]
    for w in workers:
        assert w in t["trace"], "a task's coroutine is a root"
        assert w["task"] == "job-" + w["args"][2:]
        assert w["kind"] == "coroutine" and w["resumes"] == 1
        assert w["elapsed_ms"] >= delay * 1000
        # The sleep is a lower bound; a loaded machine may wake the task late,
        # so the only upper bound is the coroutine's own elapsed time.
        assert delay * 1000 * 0.9 <= w["suspended_ms"] <= w["elapsed_ms"]
        [step] = w["children"]
        assert step["qualname"] == "step" and "task" not in step
        assert [c["qualname"] for c in step["children"]] == ["compute"]
    assert len(find(t, "step")) == n and len(find(t, "compute")) == n
    main = one(t, "main")
    assert main["task"].startswith("Task-") and main in t["trace"]
    assert not [n for n, _d, _p in walk(t["trace"]) if n["module"].startswith("asyncio")]


def test_generators_yield_from_throw(py, tmp_path):
    r, t = run(py, tmp_path, "generators.py")
    assert r.stdout.splitlines() == ["[1, 2, 'inner-done']", "caught 'k'", "[0, 1, 2]",
                                     "recursion stopped"]
    outer = one(t, "outer")
    assert outer["kind"] == "generator" and outer["resumes"] == 3
    [inner] = outer["children"]
    assert inner["qualname"] == "inner" and inner["return_value"] == "'inner-done'"
    catcher = one(t, "catcher")
    assert catcher["exception"] == "GeneratorExit" or catcher["exception"].startswith("GeneratorExit")
    assert catcher["resumes"] == 2
    dies = one(t, "dies")
    assert dies["exception"] == "RuntimeError: generator failed"
    agen = one(t, "agen")
    assert agen["kind"] == "async_generator" and agen["resumes"] >= 3


def test_recursion_error_deep_inside(py, tmp_path):
    _r, t = run(py, tmp_path, "generators.py", max_depth=1000)
    frames = find(t, "recurse")
    assert len(frames) > 100
    assert all(f["exception"].startswith("RecursionError") for f in frames)
    deepest = max(d for n, d, _p in walk(t["trace"]) if n["qualname"] == "recurse")
    assert deepest >= 100


def test_c_calls_as_builtin_nodes(py, tmp_path):
    r, t = run(py, tmp_path, "ccalls.py", record_c_calls="true")
    assert r.stdout == "b'hello'\n"
    [nap] = find(t, "nap")
    sleeps = [c for c in nap["children"] if c["kind"] == "builtin"]
    assert [(c["module"], c["qualname"]) for c in sleeps] == [("time", "sleep")]
    assert sleeps[0]["elapsed_ms"] >= 200 and sleeps[0]["file"] == "<built-in>"
    [talk] = find(t, "talk")
    names = [c["qualname"] for c in talk["children"]]
    assert "socket.recv" in names and "socket.sendall" in names
    [recv] = [c for c in talk["children"] if c["qualname"] == "socket.recv"]
    assert recv["module"] in ("socket", "_socket")  # bound method vs. descriptor (3.12+)
    assert t["config"]["record_c_calls"] is True


def test_c_calls_off_by_default(py, tmp_path):
    _r, t = run(py, tmp_path, "ccalls.py")
    assert not [n for n, _d, _p in walk(t["trace"]) if n["kind"] == "builtin"]


def test_monitoring_tool_id_taken(py, tmp_path):
    if py.version < (3, 12):
        pytest.skip("sys.monitoring is 3.12+")
    prog = tmp_path / "taken.py"
    prog.write_text("import sys, time\n"
                    "sys.monitoring.use_tool_id(3, 'someone else')\n"
                    "def f(x):\n    return x\n"
                    "import signal, os\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "time.sleep(0.05)\n"
                    "f(1)\n"
                    "print(sys.monitoring.get_tool(3))\n")
    # A module filter makes the window use sys.monitoring (events_choose.c).
    r = py.run(tmp_path, str(prog), ignore_modules="json")
    assert r.returncode == 0 and r.stdout == "someone else\n"
    assert "sys.monitoring tool id 3 is taken: using 4" in r.stderr
    t = only_trace(tmp_path)
    assert one(t, "f")["return_value"] == "1"
