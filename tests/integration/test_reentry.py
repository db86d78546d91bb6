"""The app's code that runs in the middle of tracepatch's own C code (a
finalizer, a dict key's __eq__, a property, a __repr__ that rebinds what
it renders) is not recorded there, and cannot make tracepatch use memory
it has let go of: each of these crashed, or glued one value's text into
another's, before."""
from conftest import find, one, only_trace
from test_faults_common import run


def test_finalizer_run_by_a_collection_while_rendering(py, tmp_path):
    r = run(py, tmp_path, "reentry.py", "gc", autostart=1)
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
    gs = find(only_trace(tmp_path), "g")
    assert [n["args"] for n in gs] == ["s=({1}, {2}, {3}, {4}), t='warm-up'",
                                       "s=({1}, {2}, {3}, {4}), t='x'"]


def test_key_eq_run_while_reading_a_module_name(py, tmp_path):
    r = run(py, tmp_path, "reentry.py", "dict_eq", autostart=1)
    assert (r.returncode, r.stdout) == (0, "3\ndone\n"), r.stderr
    assert one(only_trace(tmp_path), "target", "evilmod")["args"] == "a=1, b=2"


def test_key_eq_lets_another_thread_meet_the_same_function(py, tmp_path):
    r = run(py, tmp_path, "reentry.py", "dict_eq_thread", autostart=1)
    assert (r.returncode, r.stdout) == (0, "7\n3\ndone\n"), r.stderr
    targets = find(only_trace(tmp_path), "target", "evilmod")
    assert sorted(n["args"] for n in targets) == ["a=1, b=2", "a=3, b=4"]
    assert len(find(only_trace(tmp_path), "k299", None)) == 1


def test_class_path_kept_while_another_thread_renders(py, tmp_path):
    r = run(py, tmp_path, "reentry.py", "type_path", autostart=1, pyargs=("-W", "ignore"),
            ignore_modules="json")
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
    kept = [n["args"] for n in find(only_trace(tmp_path), "h")
            if "Other" not in n["args"]]
    assert len(kept) == 3 and all(a.startswith("x=<__main__.Kept object at 0x") for a in kept), kept


def test_repr_that_rebinds_its_own_parameter(py, tmp_path):
    # Module filters: sys.monitoring on 3.12+, whose callback runs with the
    # callee's frame current.
    r = run(py, tmp_path, "reentry.py", "locals", autostart=1, ignore_modules="json")
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
    [w] = find(only_trace(tmp_path), "work")
    assert w["args"] == "a=[Rebinds(), 1, [2, 3], '%s']" % ("abc" * 10)


def test_window_closed_while_a_thread_is_first_met(py, tmp_path):
    r = run(py, tmp_path, "reentry.py", "attach")
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
