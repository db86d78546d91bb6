"""Values in the trace are rendered exactly as each Python's own repr()."""
from conftest import find, only_trace


def test_repr_matches_this_pythons_repr(py, tmp_path):
    r = py.run(tmp_path, "values.py", "7", autostart=1, max_repr=100000, max_calls=100000)
    assert r.returncode == 0, r.stderr
    expected = r.stdout.splitlines()
    echoes = find(only_trace(tmp_path), "echo")
    got = [e["return_value"].replace("\n", "\\n") for e in echoes]
    assert len(got) == len(expected)
    mismatches = [(g, e) for g, e in zip(got, expected) if g != e]
    assert not mismatches, mismatches[:5]
    assert all(e["args"] == "value=" + e["return_value"] for e in echoes)
    several = find(only_trace(tmp_path), "several")
    assert [(s["args"], s["return_value"]) for s in several] == [
        ("a=0.5, b=0.9999999999999999, c=-0.30000000000000004, d=0.0001, e=999999999999999.9",
         "999999999999999.9")]


SLOW_REPR = """\
import time
calls = 0
class Query:
    def __repr__(self):
        global calls
        calls += 1
        time.sleep(0.01)
        return "<Query>"
class Fast:
    def __repr__(self):
        return "Fast()"
def run(q, f):
    return 1
q = Query()
for _ in range(20):
    run(q, Fast())
print("reprs", calls)
"""


def test_a_class_whose_repr_used_its_budget_is_shown_without_calling_it(py, tmp_path):
    prog = tmp_path / "slow_repr.py"
    prog.write_text(SLOW_REPR)
    r = py.run(tmp_path, str(prog), autostart=1, repr_budget_ms=30)
    assert r.returncode == 0, r.stderr
    called = int(r.stdout.split()[1])
    # Each call sleeps 10 ms or more: the budget is gone after the third,
    # or the second if a sleep overslept by 10 ms.
    assert called in (2, 3), r.stdout
    t = only_trace(tmp_path)
    [over] = t["repr_over_budget"]
    assert over["class"] == "__main__.Query" and over["calls"] == called
    assert 30 <= over["ms"] < 1000
    assert t["config"]["repr_budget_ms"] == 30
    runs = find(t, "run")
    assert len(runs) == 20
    shown = [r_["args"].split(", f=") for r_ in runs]
    assert [q for q, _f in shown[:called]] == ["q=<Query>"] * called
    assert all(q.startswith("q=<__main__.Query object at 0x") for q, _f in shown[called:])
    assert all(f == "Fast()" for _q, f in shown)   # other classes keep their repr
    assert ("__main__.Query.__repr__ has used its repr_budget_ms (30 ms in this window, %d calls)"
            % called) in r.stderr


def test_repr_budget_0_calls_every_repr(py, tmp_path):
    prog = tmp_path / "slow_repr.py"
    prog.write_text(SLOW_REPR.replace("0.01", "0.002"))
    r = py.run(tmp_path, str(prog), autostart=1, repr_budget_ms=0)
    assert r.returncode == 0 and r.stdout == "reprs 20\n", r.stderr
    t = only_trace(tmp_path)
    assert "repr_over_budget" not in t
    assert all(r_["args"] == "q=<Query>, f=Fast()" for r_ in find(t, "run"))


REPR_TIME = """\
import time
class Slow:
    def __repr__(self):
        time.sleep(0.1)
        return "Slow()"
def work(x):
    return x
def caller():
    return work(Slow())
caller()
"""


def test_the_time_a_repr_takes_is_not_the_calls_own(py, tmp_path):
    # work()'s argument and its return value each take 100 ms to render:
    # none of it is work's time; all of it is its caller's.
    prog = tmp_path / "repr_time.py"
    prog.write_text(REPR_TIME)
    r = py.run(tmp_path, str(prog), autostart=1, repr_budget_ms=0)
    assert r.returncode == 0, r.stderr
    t = only_trace(tmp_path)
    [work] = find(t, "work")
    [caller] = find(t, "caller")
    assert work["args"] == "x=Slow()" and work["return_value"] == "Slow()"
    assert work["elapsed_ms"] < 50, work
    assert caller["elapsed_ms"] >= 200, caller
    assert caller["start"] <= work["start"] and work["end"] <= caller["end"]


SETTING_UP = """\
import pickle
class Job:
    def __init__(self, job_id):
        self.job_id = job_id
    def __repr__(self):
        return "Job(%d)" % self.job_id
    def __setstate__(self, state):
        self.__dict__.update(state)
    def run(self):
        return self.job_id
pickle.loads(pickle.dumps(Job(3))).run()
"""


def test_the_object_init_and_setstate_set_up_shows_in_the_safe_form(py, tmp_path):
    # Its __repr__ would read attributes not set yet: the trace showed
    # self=<repr failed: AttributeError> for every __init__ of such a class.
    prog = tmp_path / "setting_up.py"
    prog.write_text(SETTING_UP)
    r = py.run(tmp_path, str(prog), autostart=1, include_modules="__main__")
    assert r.returncode == 0, r.stderr
    t = only_trace(tmp_path)
    [init] = find(t, "Job.__init__")
    [setstate] = find(t, "Job.__setstate__")
    assert init["args"].startswith("self=<__main__.Job object at 0x"), init["args"]
    assert init["args"].endswith(">, job_id=3")
    assert setstate["args"].startswith("self=<__main__.Job object at 0x"), setstate["args"]
    assert setstate["args"].endswith(">, state={'job_id': 3}")
    assert [n["args"] for n in find(t, "Job.run")] == ["self=Job(3)"]


CLASS_LIFETIME = """\
import gc, weakref
class Parent:
    pass
def use(*values):
    return values[0]
def make():
    class Plain(Parent):
        pass
    class Shown(Parent):
        def __repr__(self):
            return "Shown()"
    use(Plain(), Shown(), Plain, Shown)
    return weakref.ref(Plain), weakref.ref(Shown)
refs = make()
gc.collect()
print([r() is None for r in refs], Parent.__subclasses__())
"""


def test_a_window_keeps_no_class_alive(py, tmp_path):
    # A class the renderer remembered (for its path, or its repr's time)
    # goes when the app drops it, as untraced: gone from __subclasses__(),
    # its weakrefs dead (CPython's test_descr, test_remove_subclass).
    prog = tmp_path / "classes.py"
    prog.write_text(CLASS_LIFETIME)
    r = py.run(tmp_path, str(prog), autostart=1)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "[True, True] []\n"
    [u] = find(only_trace(tmp_path), "use")
    assert u["args"].startswith("*values=(<__main__.make.<locals>.Plain object at 0x")
    assert "Shown(), <class '__main__.make.<locals>.Plain'>" in u["args"]
