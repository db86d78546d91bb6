"""Start-up without our audit hook (core/startup_wait.c): while the
interpreter imports `site`, our hook is out of the runtime's list (CPython
builds every audit event's arguments while any hook is in it), and a frame
evaluator puts it back once that import is over. Before 3.11 the hook
leaves at its first event, from 3.11 at the import of `site` itself.
Either way set-up comes after `site`."""
import re

from conftest import cache, find, only_trace
from test_event_sources import _build_foreign
from test_faults_common import check_cache, run

OUT_EARLY = "start-up: audit hook out until site is imported"
OUT_AT_SITE = "start-up: audit hook out while site is imported"
BACK = "start-up: site imported, audit hook back"
SETUP = re.compile(r"set-up after (\d+) audit events")

# Opens a window, makes one call, closes it.
APP = ("import builtins, os, signal, time\n"
       "def work(x):\n    return x + 1\n"
       "os.kill(os.getpid(), signal.SIGUSR1)\ntime.sleep(0.05)\n"
       "work(1)\n"
       "os.kill(os.getpid(), signal.SIGUSR1)\ntime.sleep(0.05)\n"
       "print('site events', getattr(builtins, 'site_events', None))\n")


def with_site(tmp_path, body):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(body + "import sys\nsys.stderr.write('site done\\n')\n")
    app = tmp_path / "app.py"
    app.write_text(APP)
    return str(app), {"PYTHONPATH": str(site)}


def waits_from_first_event(py):
    return py.version < (3, 11)


def out_line(py):
    return OUT_EARLY if waits_from_first_event(py) else OUT_AT_SITE


def line_of(err, text):
    lines = err.splitlines()
    found = [i for i, l in enumerate(lines) if text in l]
    assert len(found) == 1, (text, err)
    return found[0]


def setup_line(err):
    return line_of(err, "set-up after ")


def events_before_setup(err):
    [n] = SETUP.findall(err)
    return int(n)


def one_work_call(tmp_path):
    [t] = check_cache(cache(tmp_path))
    [w] = find(t, "work")
    assert (w["args"], w["return_value"]) == ("x=1", "2")


def test_the_hook_is_out_while_site_imports(py, tmp_path):
    # The app's own audit hook counts what sitecustomize's imports raise:
    # ours, back only after them, sees none of those events, so it sees as
    # many as with a sitecustomize that imports nothing.
    app, env = with_site(tmp_path, "import builtins, sys\nseen = []\n"
                                   "sys.addaudithook(lambda e, a: seen.append(e))\n"
                                   "import decimal, fractions, json, textwrap\n"
                                   "builtins.site_events = len(seen)\n")
    r = run(py, tmp_path, app, env_extra=env, debug=1)
    assert r.returncode == 0, r.stderr
    site_events = int(r.stdout.split()[-1])
    assert site_events > 10
    assert line_of(r.stderr, "site done") < setup_line(r.stderr)
    assert line_of(r.stderr, out_line(py)) < line_of(r.stderr, "site done") < line_of(r.stderr, BACK)
    assert line_of(r.stderr, BACK) < setup_line(r.stderr)
    if waits_from_first_event(py):
        assert events_before_setup(r.stderr) < 10, r.stderr
    one_work_call(tmp_path)

    light = tmp_path / "light"
    light.mkdir()
    app, env = with_site(light, "")
    r_light = run(py, light, app, env_extra=env, debug=1)
    assert r_light.returncode == 0, r_light.stderr
    assert abs(events_before_setup(r.stderr) - events_before_setup(r_light.stderr)) <= 2, \
        (r.stderr, r_light.stderr)


def test_without_site_the_hook_stays_and_sets_up_as_before(py, tmp_path):
    app = tmp_path / "app.py"
    app.write_text(APP)
    r = run(py, tmp_path, str(app), pyargs=("-S",), debug=1)
    assert r.returncode == 0 and r.stdout == "site events None\n", r.stderr
    assert "audit hook out" not in r.stderr and BACK not in r.stderr
    # Every start-up event reached the hook: more than the wait lets in.
    assert events_before_setup(r.stderr) > 10, r.stderr
    one_work_call(tmp_path)


def test_a_thread_that_ends_while_site_imports(py, tmp_path):
    # Before 3.11 its frames end on another thread with `site` already in
    # sys.modules: the hook comes back then, early, and set-up still waits
    # for `site`. From 3.11 only the frame that imports `site` brings it
    # back.
    app, env = with_site(tmp_path, "import threading, time\n"
                                   "def spin(n):\n    return sum(i for i in range(n))\n"
                                   "t = threading.Thread(target=spin, args=(1000,))\n"
                                   "t.start()\nt.join()\ntime.sleep(0.1)\n")
    r = run(py, tmp_path, app, env_extra=env, debug=1)
    assert r.returncode == 0 and r.stdout == "site events None\n", r.stderr
    if waits_from_first_event(py):
        assert line_of(r.stderr, OUT_EARLY) < line_of(r.stderr, BACK) < line_of(r.stderr, "site done")
    else:
        assert line_of(r.stderr, OUT_AT_SITE) < line_of(r.stderr, "site done") < line_of(r.stderr, BACK)
    assert line_of(r.stderr, "site done") < setup_line(r.stderr)
    one_work_call(tmp_path)


def test_an_evaluator_that_replaces_ours_while_site_imports(py, tmp_path):
    # The frame that imports `site` started through ours, so it still ends
    # there: the hook comes back, and the window records as it does next to
    # any other evaluator. (From 3.11 ours has left as that frame started.)
    lib = _build_foreign(py, tmp_path)
    app, env = with_site(tmp_path, "import ctypes\nctypes.PyDLL(%r).foreign_install()\n" % lib)
    (tmp_path / "app.py").write_text("def work(x):\n    return x + 1\nprint(work(1))\n")
    r = run(py, tmp_path, app, env_extra=env, debug=1, autostart=1)
    assert r.returncode == 0 and r.stdout == "2\n", r.stderr
    assert line_of(r.stderr, "site done") < line_of(r.stderr, BACK) < setup_line(r.stderr)
    assert "another frame evaluator is installed" in r.stderr
    [w] = find(only_trace(tmp_path), "work")
    assert w["return_value"] == "2"


def test_autostart_still_opens_after_site(py, tmp_path):
    app, env = with_site(tmp_path, "")
    (tmp_path / "app.py").write_text("def work(x):\n    return x + 1\nprint(work(1))\n")
    r = run(py, tmp_path, app, env_extra=env, debug=1, autostart=1)
    assert r.returncode == 0 and r.stdout == "2\n", r.stderr
    assert line_of(r.stderr, "site done") < setup_line(r.stderr)
    assert line_of(r.stderr, BACK) < setup_line(r.stderr)
    [w] = find(only_trace(tmp_path), "work")
    assert w["return_value"] == "2"
