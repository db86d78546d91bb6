"""greenlet: greenlets switch one thread between call stacks without
returning. Each greenlet's calls form trees of their own (its first call a
root), none is ended by another's return, and greenlet's trace function is
the app's again after the window. Debian's Python has greenlet and gevent
(python3-greenlet, python3-gevent, which scripts/test installs); pyenv's
Pythons have no packages."""
import subprocess

import pytest

from conftest import PRELOAD_FIRST, PROGRAMS, find, only_trace, walk


def has_greenlet(py):
    return subprocess.run([py.path, "-c", "import greenlet"], capture_output=True).returncode == 0


@pytest.fixture
def gpy(py):
    if not has_greenlet(py):
        if py.key.startswith("debian-"):
            pytest.fail("python3-greenlet is not installed (scripts/setup-deps python3-greenlet)")
        pytest.skip("greenlet is not installed for this Python")
    return py


def skip_under_asan():
    """greenlet copies slices of the C stack with memcpy, and ASan reports
    the redzones of the instrumented core's frames on them once a window
    has our evaluator's frames there (python-greenlet/greenlet#113, #367):
    not a fault of either."""
    if "libasan" in PRELOAD_FIRST:
        pytest.skip("greenlet switches stacks in ways ASan cannot follow")


def mine(node):
    """A node's children that are the program's own steps: not C calls
    (greenlet's switch(), list.append), nor the app's greenlet trace
    function, which runs in the greenlet switched to."""
    return [c for c in node.get("children", [])
            if c["module"] == "__main__" and c["qualname"] != "app_tracer"]


def check_trees(t):
    roots = {n["qualname"]: n for n in t["trace"]}
    for name, tag in (("start_a", "a"), ("start_b", "b")):
        # Found among the roots (in "late", the window's own root is <module>).
        [start] = [n for n in find(t, name)]
        assert start in t["trace"] or name in roots, name
        [worker] = mine(start)
        assert worker["qualname"] == "worker" and worker["args"] == "tag=%r, n=3" % tag
        assert [c["return_value"] for c in mine(worker)] \
            == ["'%s0'" % tag, "'%s1'" % tag, "'%s2'" % tag]
        assert start["return_value"] == str(["%s%d" % (tag, i) for i in range(3)])
    [run] = find(t, "run")
    assert run["return_value"] == "['a0', 'a1', 'a2']"
    assert not mine(run)
    raised = [n["qualname"] for n, _d, _p in walk(t["trace"])
              if n.get("exception") and n["module"] == "__main__"]
    assert raised == ["boom"], raised
    [parked] = find(t, "parked")
    assert parked.get("unfinished") is True
    assert [c["args"] for c in mine(parked)] == ["tag='p', i=0"]


@pytest.mark.parametrize("how", ["signal", "late", "chained", "c_calls"])
def test_greenlets_keep_their_own_stacks(gpy, tmp_path, how):
    """c_calls: with C calls recorded, every frame is on the shadow stack
    (the callbacks path), where a greenlet's return could end another's
    open calls as raised."""
    skip_under_asan()
    prog_how, settings = how, {}
    if how == "c_calls":
        prog_how, settings = "signal", {"record_c_calls": 1}
    plain = gpy.run(tmp_path, "greenlets.py", prog_how, preload=False)
    r = gpy.run(tmp_path, "greenlets.py", prog_how, autostart=int(how == "late"), **settings)
    assert r.returncode == plain.returncode == 0, r.stderr
    assert r.stdout == plain.stdout, r.stderr
    assert "tracer True\n" in r.stdout
    t = only_trace(tmp_path)
    check_trees(t)
    if how == "late":
        assert len(find(t, "filler")) == 1100


def test_greenlets_untouched_without_a_window(gpy, tmp_path):
    prog = tmp_path / "idle.py"
    prog.write_text("import greenlet\n"
                    "g = greenlet.greenlet(lambda: greenlet.getcurrent().parent.switch(1))\n"
                    "print(g.switch(), greenlet.gettrace())\n")
    r = gpy.run(tmp_path, str(prog))
    assert (r.returncode, r.stdout) == (0, "1 None\n"), r.stderr


def test_gevent_service(gpy, tmp_path):
    """gevent: each spawned greenlet's calls are a tree of their own, and
    none of the app's calls ends as raised, though every socket wait
    switches to the hub and back."""
    if subprocess.run([gpy.path, "-c", "import gevent"], capture_output=True).returncode:
        if gpy.key.startswith("debian-"):
            pytest.fail("python3-gevent is not installed (scripts/setup-deps python3-gevent)")
        pytest.skip("gevent is not installed for this Python")
    skip_under_asan()
    plain = gpy.run(tmp_path, "gevent_app.py", preload=False)
    r = gpy.run(tmp_path, "gevent_app.py")
    assert r.returncode == plain.returncode == 0, r.stderr
    assert r.stdout == plain.stdout == "([b'MSG0', b'MSG1', b'MSG2'], [4, 4, 4])\n"
    t = only_trace(tmp_path)
    roots = [n["qualname"] for n in t["trace"] if n["module"] == "__main__"]
    # toggle_window: the call that closed the window, unfinished.
    assert sorted(roots) == ["client"] * 3 + ["handle"] * 3 + ["main", "server",
                                                                "toggle_window"], roots
    assert sorted(n["return_value"] for n in find(t, "handle")) == ["4"] * 3
    assert sorted(n["return_value"] for n in find(t, "client")) == \
        ["b'MSG0'", "b'MSG1'", "b'MSG2'"]
    raised = [n["qualname"] for n, _d, _p in walk(t["trace"])
              if n.get("exception") and n["module"] == "__main__"]
    assert raised == [], raised


def test_a_trace_function_put_in_front_of_ours_stays(gpy, tmp_path):
    """The app (gevent's monitor thread, say) installs a greenlet trace
    function during the window, which calls ours: after the window ours
    passes through and does not take the app's out."""
    skip_under_asan()
    prog = tmp_path / "in_front.py"
    prog.write_text(
        "import os, signal, time, greenlet\n"
        "def toggle():\n"
        "    if 'tracepatch' in os.environ.get('LD_PRELOAD', ''):\n"
        "        os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.01)\n"
        "def f():\n    return greenlet.getcurrent().parent.switch(1)\n"
        "toggle()\n"
        "g = greenlet.greenlet(f); g.switch()\n"
        "seen = []\n"
        "def in_front(event, args):\n"
        "    seen.append(event)\n"
        "    if previous:\n        previous(event, args)\n"
        "previous = greenlet.settrace(in_front)\n"
        "toggle()\n"
        "g.switch()\n"
        "greenlet.greenlet(f).switch()\n"
        "print(greenlet.gettrace() is in_front, seen)\n")
    plain = gpy.run(tmp_path, str(prog), preload=False)
    r = gpy.run(tmp_path, str(prog))
    assert r.returncode == plain.returncode == 0, r.stderr
    assert r.stdout == plain.stdout, r.stderr
    assert r.stdout.startswith("True ['switch', 'switch', 'switch'")


def test_call_ending_while_our_repr_blocks_on_gevent(gpy, tmp_path):
    """job's call ends while another greenlet's __repr__, run by us, waits
    on gevent: it ends there (its value unseen: nothing may be rendered in
    the middle of another value), and it no longer counts as running, so
    the window that max_calls drained closes at once."""
    skip_under_asan()
    r = gpy.run(tmp_path, str(PROGRAMS / "gevent_repr.py"), "300", max_calls=100)
    assert (r.returncode, r.stdout) == (0, "done 1\n"), r.stderr
    t = only_trace(tmp_path)
    assert t["end_reason"] == "max_calls", t["end_reason"]
    [job] = find(t, "job")
    [take] = find(t, "take")
    assert not job.get("unfinished") and job["return_value"] is None
    assert job["end"] <= take["end"] and take["args"] == "x=Blocks()"
