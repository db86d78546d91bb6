"""Where events come from: the frame evaluator (PEP 523) unless the window
needs callbacks (line mode, C calls; on 3.12+ also module filters, which
sys.monitoring switches off), someone else owns the evaluator, or a thread
runs deep. The callbacks are the trace function before 3.12 and
sys.monitoring after."""
import shutil
import subprocess
import sys

from conftest import PROGRAMS, cache, find, only_trace, traces

EVALFRAME = "events: frame evaluator"


def callbacks(py):
    return "trace function" if py.version < (3, 12) else "sys.monitoring"


def test_default_window_uses_the_frame_evaluator(py, tmp_path):
    r = py.run(tmp_path, "basic.py", autostart=1, debug=1)
    assert r.returncode == 0, r.stderr
    assert EVALFRAME in r.stderr
    assert only_trace(tmp_path)["call_count"] > 0


def test_c_calls_and_line_mode_use_the_callbacks(py, tmp_path):
    for settings in ({"record_c_calls": 1}, {"line_functions": "__main__:main"}):
        r = py.run(tmp_path, "basic.py", autostart=1, debug=1, **settings)
        assert r.returncode == 0, r.stderr
        assert EVALFRAME not in r.stderr
        assert "events: " + callbacks(py) in r.stderr


def test_module_filters_use_sys_monitoring_from_3_12(py, tmp_path):
    for settings in ({"ignore_modules": "json"}, {"include_modules": "__main__"}):
        r = py.run(tmp_path, "basic.py", autostart=1, debug=1, **settings)
        assert r.returncode == 0, r.stderr
        want = EVALFRAME if py.version < (3, 12) else "events: sys.monitoring"
        assert want in r.stderr, r.stderr


def _build_foreign(py, tmp_path):
    inc = subprocess.run([py.path, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    cc = shutil.which("cc") or shutil.which("gcc")
    out = tmp_path / "foreign_eval.so"
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-I" + inc, "-I" + inc + "/internal",
                    str(PROGRAMS / "foreign_eval.c"), "-o", str(out)], check=True)
    return str(out)


def test_someone_elses_evaluator_installed_before_the_window(py, tmp_path):
    lib = _build_foreign(py, tmp_path)
    r = py.run(tmp_path, "foreign_eval.py", lib, "before")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["20", "foreign installed 1 counted True"]
    said = "another frame evaluator is installed (a debugger or JIT?): tracing with the slower "
    assert said + callbacks(py) in r.stderr, r.stderr
    works = find(only_trace(tmp_path), "work")
    assert [w["return_value"] for w in works] == ["0", "2", "4", "6", "8"]


def test_someone_elses_evaluator_installed_during_the_window_is_left_alone(py, tmp_path):
    lib = _build_foreign(py, tmp_path)
    r = py.run(tmp_path, "foreign_eval.py", lib, "during", autostart=1)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["2", "4", "foreign installed 1 counted True"]
    [t] = traces(tmp_path)
    assert [w["args"] for w in find(t, "work")][0] == "x=1"


def test_deep_recursion_in_a_small_thread_stack(py, tmp_path):
    # 3.8-3.10 recurse in C whether traced or not: a depth that fits 4 MB
    # there. 3.11+ recurse in C only through the evaluator: it must hand
    # over to the callbacks before the stack (or, on 3.12+, the C recursion
    # budget) runs out.
    depth = "2000" if py.version < (3, 11) else "15000"
    plain = py.run(tmp_path, "deep_thread.py", depth, preload=False)
    assert plain.returncode == 0, plain.stderr
    r = py.run(tmp_path, "deep_thread.py", depth, autostart=1, max_depth=100000,
               max_calls=1000000, timeout=120)
    assert (r.returncode, r.stdout) == (0, plain.stdout), r.stderr
    fell_back = "tracing goes on with the slower " + callbacks(py) in r.stderr
    assert fell_back == (py.version >= (3, 11)), r.stderr
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(100000)   # json nests as deep as the calls
    try:
        t = only_trace(tmp_path)
    finally:
        sys.setrecursionlimit(old)
    todo, deep, wrong = list(t["trace"]), 0, []
    while todo:   # iterative: the tree is as deep as the recursion
        n = todo.pop()
        if n["qualname"] == "deep":
            deep += 1
            # each ended with its own value (deep(k) is k), on either side
            # of the hand-over: calls begun by the evaluator end there
            if n.get("unfinished") or n["return_value"] != n["args"].split("=")[1]:
                wrong.append((n["args"], n["return_value"], n.get("unfinished")))
        todo.extend(n.get("children", []))
    assert deep == int(depth) + 1 + 11
    assert wrong == []


def test_deep_recursion_in_a_256_kib_thread_stack(py, tmp_path):
    # A stack of no more than twice the 256 KiB reserve keeps half of
    # itself; it was taken as never low and deep recursion ran it out
    # inside the evaluator's frames (SIGSEGV on 3.11+, where untraced
    # Python calls take no C stack).
    depth = "200" if py.version < (3, 11) else "5000"
    plain = py.run(tmp_path, "deep_thread.py", depth, "256", preload=False)
    assert plain.returncode == 0, plain.stderr
    r = py.run(tmp_path, "deep_thread.py", depth, "256", autostart=1, max_depth=100000,
               max_calls=1000000, timeout=120)
    assert (r.returncode, r.stdout) == (0, plain.stdout), r.stderr


def test_an_apps_own_trace_function_keeps_working_and_is_traced(py, tmp_path):
    r = py.run(tmp_path, "settrace_coexist.py", debug=1)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["2 3", "tracer saw work 2"]
    assert EVALFRAME in r.stderr
    assert ("tracing goes on with the slower sys.monitoring" in r.stderr) == \
        (py.version >= (3, 12)), r.stderr
    works = find(only_trace(tmp_path), "work")
    assert [w["return_value"] for w in works] == ["2", "3"]


def test_an_apps_trace_function_gets_the_events_it_gets_untraced(py, tmp_path):
    # From 3.12 a frame evaluator makes CPython run awaited coroutines
    # through it rather than inline, and a trace function then sees the
    # StopIteration of each `async for` step twice: a window hands over to
    # sys.monitoring once it meets a thread with a trace function.
    plain = py.run(tmp_path, "settrace_async_for.py", preload=False)
    traced = py.run(tmp_path, "settrace_async_for.py", autostart=1)
    assert plain.returncode == traced.returncode == 0, traced.stderr
    assert plain.stdout.count("exception StopIteration") >= 3, plain.stdout
    assert traced.stdout == plain.stdout
    handed_over = "the app runs a trace function (sys.settrace: a debugger, coverage): " \
                  "tracing goes on with the slower sys.monitoring"
    assert (handed_over in traced.stderr) == (py.version >= (3, 12)), traced.stderr
    [spell] = find(only_trace(tmp_path), "spell")
    assert spell["return_value"] == "'c'"


def test_recursion_error_comes_at_the_same_depth_as_untraced(py, tmp_path):
    plain = py.run(tmp_path, "recursion_depth.py", preload=False)
    assert plain.returncode == 0, plain.stderr
    r = py.run(tmp_path, "recursion_depth.py", autostart=1, max_depth=100000)
    assert (r.returncode, r.stdout) == (0, plain.stdout), r.stderr
    assert len(list(cache(tmp_path).glob("trace_*.json"))) == 1
