"""Fault matrix: values whose __repr__ / __str__ misbehave (issue 5).

Full mode (the default) runs the app's own __repr__ under a guard: a
failure is swallowed into `<repr failed: Type>`, calls it makes are not
recorded, and the app's pending exception survives. Its side effects and
its time are the app's own code running, and do happen: `repr = "safe"`
is the answer for reprs that are slow or change state (docs/security.md).
"""
import re
import time

import pytest

from conftest import cache, find, one
from test_faults_common import check_cache, plain_and_traced, run

PROG = "fault_repr.py"
SAFE = re.compile(r"<__main__\.(\w+) object at 0x[0-9a-f]+>")


def state(stderr):
    m = re.search(r"STATE mutations=(\d+) helper_calls=(\d+)", stderr)
    return int(m.group(1)), int(m.group(2))


def test_hostile_reprs_full_mode(py, tmp_path):
    plain, traced = plain_and_traced(py, tmp_path, PROG, autostart=1)
    assert plain.returncode == 3
    [t] = check_cache(cache(tmp_path))
    args = {}
    for n in find(t, "take"):
        args.setdefault(n["args"], n)
    expected = ["value=<repr failed: RuntimeError>", "value=<repr failed: TypeError>",
                "value=Reentrant(42)", "value=<repr failed: RecursionError>",
                "value=Mutates()"]
    assert sorted(args) == sorted(expected)
    for text, n in args.items():
        assert n["return_value"] == text[len("value="):] and n["exception"] is None
    # helper() ran once for the app and once per Reentrant repr; only the
    # app's own call is recorded.
    [h] = find(t, "helper")
    assert h["args"] == "x=1" and h["return_value"] == "2"
    # The app's exception, pending while we rendered, is intact.
    keeps = one(t, "keeps_exception")
    assert keeps["return_value"] == "\"app's own\""
    assert "app's own" in traced.stdout
    # Side effects of the app's own reprs happen in full mode.
    assert state(plain.stderr) == (0, 1)
    assert state(traced.stderr)[0] > 0


def test_exception_whose_str_fails(py, tmp_path):
    plain_and_traced(py, tmp_path, PROG, autostart=1)
    [t] = check_cache(cache(tmp_path))
    assert one(t, "raise_bad_str")["exception"] == "BadStrError: <str failed: ValueError>"
    assert one(t, "raise_bad_both")["exception"] == "BadReprAndStrError: <str failed: TypeError>"
    for n in (one(t, "raise_bad_str"), one(t, "raise_bad_both")):
        assert n["return_value"] is None
    # Full mode runs the app's __str__, and the __repr__ str() reaches.
    assert one(t, "raise_counting_str")["exception"] == "CountingStrError: counted"
    assert one(t, "raise_with_mutates")["exception"] == "ValueError: Mutates()"


def test_safe_mode_runs_no_user_repr(py, tmp_path):
    plain, traced = plain_and_traced(py, tmp_path, PROG, autostart=1, repr="safe")
    [t] = check_cache(cache(tmp_path))
    classes = set()
    for n in find(t, "take") + find(t, "give"):
        m = SAFE.fullmatch(n["args"][len("value="):])
        assert m, n["args"]
        classes.add(m.group(1))
    assert classes == {"Raises", "NotStr", "Reentrant", "Recursive", "Forever", "Mutates"}
    # An exception's message: no __str__ of the app, no repr that its
    # built-in str would reach; its args in their safe forms instead.
    assert one(t, "raise_bad_str")["exception"] == "BadStrError: x"
    assert one(t, "raise_counting_str")["exception"] == "CountingStrError: ('c', 2)"
    text = one(t, "raise_with_mutates")["exception"]
    assert text.startswith("ValueError: ") and SAFE.fullmatch(text[len("ValueError: "):]), text
    assert one(t, "keeps_exception")["return_value"] == "\"app's own\""
    # No repr ran: the app's state is exactly what it is without us.
    assert state(traced.stderr) == state(plain.stderr) == (0, 1)
    assert t["config"]["repr"] == "safe"


def test_slow_repr_is_avoided_by_safe_mode(py, tmp_path):
    # A __repr__ that takes 10 s: safe mode never calls it.
    start = time.monotonic()
    r = run(py, tmp_path, PROG, "slow", "10", autostart=1, repr="safe", timeout=30)
    assert time.monotonic() - start < 8
    assert r.returncode == 3, r.stderr
    [t] = check_cache(cache(tmp_path))
    assert any(SAFE.fullmatch(n["args"][6:]) and "Slow" in n["args"] for n in find(t, "take"))


def test_slow_repr_in_full_mode_is_recorded(py, tmp_path):
    # Full mode runs it (it is the app's code); the result is still right.
    plain, traced = plain_and_traced(py, tmp_path, PROG, "slow", "0.2", autostart=1)
    [t] = check_cache(cache(tmp_path))
    assert any(n["args"] == "value=Slow()" for n in find(t, "take"))


def test_reprs_at_the_recursion_limit(py, tmp_path):
    """An app that recurses until RecursionError, with an argument whose
    __repr__ needs a few more frames: at the limit, the __repr__ we run
    fails with a RecursionError of its own (swallowed). Before 3.10 that
    left the thread "overflowed": the app then recursed 50 levels past its
    limit without an error and the process aborted ("Cannot recover from
    stack overflow"). Now the app gets its RecursionError each time."""
    prog = tmp_path / "limit.py"
    # A low limit keeps the trace shallow enough for json.loads to read.
    prog.write_text("import sys\n"
                    "sys.setrecursionlimit(150)\n"
                    "class R:\n"
                    "    def __repr__(self):\n        return helper()\n"
                    "def helper():\n    return 'R()'\n"
                    "def down(n, obj):\n    return down(n + 1, obj)\n"
                    "for i in range(3):\n"
                    "    try:\n        down(0, R())\n"
                    "    except RecursionError:\n        print('recursion error', i)\n")
    expected = "recursion error 0\nrecursion error 1\nrecursion error 2\n"
    plain = run(py, tmp_path, str(prog), preload=False)
    r = run(py, tmp_path, str(prog), autostart=1, max_depth=100000)
    assert (plain.returncode, plain.stdout) == (0, expected)
    assert (r.returncode, r.stdout) == (0, expected), r.stderr
    [t] = check_cache(cache(tmp_path))
    assert find(t, "down")[0]["args"] == "n=0, obj=R()"


def test_our_repr_calls_are_hidden_from_the_apps_tracers(py, tmp_path):
    """The app's own trace and profile functions (a coverage tool, a
    profiler) see the app's calls, not the __repr__ calls we make to record
    them; a trace function that raises at a call event still raises into
    the app's call (CPython switches a trace function off once it raised:
    ours would have)."""
    prog = tmp_path / "tracers.py"
    prog.write_text(
        "import sys\n"
        "class Obj:\n    def __repr__(self):\n        return 'Obj()'\n"
        "def f(o):\n    return 1\n"
        "seen = []\n"
        "def tracer(frame, event, arg):\n"
        "    seen.append((event, frame.f_code.co_name))\n"
        "def profiler(frame, event, arg):\n"
        "    if event == 'call':\n        seen.append(('profile', frame.f_code.co_name))\n"
        "sys.settrace(tracer)\nf(Obj())\nsys.settrace(None)\n"
        "sys.setprofile(profiler)\nf(Obj())\nsys.setprofile(None)\n"
        "print(seen)\n"
        "def raising(frame, event, arg):\n"
        "    if event == 'call':\n        raise ValueError('from the trace function')\n"
        "sys.settrace(raising)\n"
        "try:\n    f(Obj())\nexcept ValueError as e:\n    print('raised:', e)\n"
        "sys.settrace(None)\n")
    plain = run(py, tmp_path, str(prog), preload=False)
    r = run(py, tmp_path, str(prog), autostart=1)
    assert plain.stdout == ("[('call', 'f'), ('profile', 'f')]\n"
                            "raised: from the trace function\n")
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout), r.stderr
    [t] = check_cache(cache(tmp_path))
    assert [n["args"] for n in find(t, "f")][:2] == ["o=Obj()", "o=Obj()"]



@pytest.mark.parametrize("lines", [False, True])
def test_repr_that_lets_a_thread_meet_new_functions(py, tmp_path, lines):
    # Each time an argument's __repr__ runs, another thread meets 600 new
    # functions: the table of code objects grows (and moves) under the
    # rendering of arguments (and, in line mode, of the locals at each
    # step), which must not read it through an old address.
    settings = {"line_functions": "__main__:take"} if lines else {}
    r = run(py, tmp_path, "repr_threads.py", autostart=1, max_calls=100000, **settings)
    assert r.returncode == 0, r.stderr
    result, made = r.stdout.split()
    assert result == "see" and int(made) >= (1800 if lines else 600), r.stdout
    [t] = check_cache(cache(tmp_path))
    assert one(t, "take")["args"] == "waits=Waits(), b=1, c='see', d='dee'"
    fs = [n for i in range(int(made)) for n in find(t, "f%d" % i, module=None)]
    assert sorted(n["args"] for n in fs) == sorted("x=1, y=%d" % i for i in range(int(made)))


@pytest.mark.parametrize("mode", ["exit", "timeout", "own"])
def test_signal_handler_exceptions_in_a_repr_reach_the_app(py, tmp_path, mode):
    # The app's SIGTERM handler calls sys.exit(7), or its SIGALRM handler
    # raises, inside a __repr__ we run: swallowed as the repr's failure,
    # the service would ignore its SIGTERM, the job its time limit. A
    # SystemExit the repr raises itself ("own") is its failure.
    r = run(py, tmp_path, "repr_signals.py", mode, autostart=1)
    expected = {"exit": (7, ""), "timeout": (0, "timed out: too slow\n"), "own": (0, "ran on\n")}
    assert (r.returncode, r.stdout) == expected[mode], r.stderr
    [t] = check_cache(cache(tmp_path))
    uses = find(t, "use")
    assert len(uses) == (3 if mode == "own" else 1)
    failed = "TimeoutError" if mode == "timeout" else "SystemExit"
    assert {u["args"] for u in uses} == {"x=<repr failed: %s>" % failed}


def run_text(py, tmp_path, text, stdout):
    """Runs a program given as text with a window from start-up; its trace."""
    prog = tmp_path / "prog.py"
    prog.write_text(text)
    r = run(py, tmp_path, str(prog), autostart=1)
    assert r.returncode == 0 and r.stdout == stdout, r.stderr
    [t] = check_cache(cache(tmp_path))
    return t


LIFECYCLE = """\
class reify:   # aiohttp's: the value is kept in the instance's own dict
    def __init__(self, wrapped):
        self.wrapped, self.name = wrapped, wrapped.__name__
    def __get__(self, inst, owner):
        if inst is None:
            return self
        try:
            return inst._cache[self.name]
        except KeyError:
            value = inst._cache[self.name] = self.wrapped(inst)
            return value
class Response:
    def __init__(self):
        self._cache = {}
        self._headers = None
    @reify
    def headers(self):
        return self._headers
    def __repr__(self):
        return "<Response %r>" % (self.headers,)
    def _on_eof(self):
        pass
    def start(self, headers):
        watch(self._on_eof)
        self._headers = headers
        return self.headers["h"]
def watch(callback):
    return callback
def send():
    return Response()
print(send().start({"h": 1}))
"""


def test_what_a_repr_caches_on_its_object_is_not_kept(py, tmp_path):
    # aiohttp's client under a window failed with "'NoneType' object has no
    # attribute 'getall'": rendering a response (send's return value,
    # start's self, the bound method start hands on) read its headers
    # before it had them, and their reify kept None.
    t = run_text(py, tmp_path, LIFECYCLE, "1\n")
    assert one(t, "send")["return_value"] == "<Response None>"
    start = one(t, "Response.start")
    assert start["args"] == "self=<Response None>, headers={'h': 1}"
    assert start["return_value"] == "1"
    assert one(t, "watch")["args"] == ("callback=<bound method Response._on_eof of "
                                       "<Response None>>")


THREAD_ADDS = """\
import threading, time
class Slow:
    def __repr__(self):
        self.cached = "by repr"
        added.set()
        time.sleep(0.2)   # lets the GIL go: the worker adds its own key
        return "Slow()"
def take(x):
    return 1
def worker():
    added.wait()
    obj.mine = "the app's"
added = threading.Event()
obj = Slow()
t = threading.Thread(target=worker)
t.start()
take(obj)
t.join()
print(obj.mine, getattr(obj, "cached", None))
"""


def test_a_key_another_thread_adds_meanwhile_is_kept(py, tmp_path):
    # Which new key is whose cannot be told once another thread ran: none
    # is taken back then.
    t = run_text(py, tmp_path, THREAD_ADDS, "the app's by repr\n")
    assert one(t, "take")["args"] == "x=Slow()"
