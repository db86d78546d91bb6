"""Exit paths, children, non-Python processes and unsupported Pythons."""
import os
import re
import shutil
import signal
import subprocess

import pytest

from conftest import PRELOAD, cache, find, one, only_trace, traces, wait_for


@pytest.mark.parametrize("how, status", [("normal", 0), ("sys_exit", 3), ("unhandled", 1),
                                         ("os_exit", 7), ("sigterm", -signal.SIGTERM),
                                         ("sighup", -signal.SIGHUP)])
def test_exit_paths_write_the_window(py, tmp_path, how, status):
    plain = py.run(tmp_path, "exits.py", how, preload=False)
    r = py.run(tmp_path, "exits.py", how, autostart=1)
    assert r.returncode == plain.returncode == status
    assert r.stdout == plain.stdout == "before %s\n" % how
    t = only_trace(tmp_path)
    assert t["end_reason"] == "exit"
    assert one(t, "work")["return_value"] == "2"
    leave = one(t, "leave")
    assert leave["args"] == "how=%r" % how
    if how == "unhandled":
        assert leave["exception"] == "KeyError: 'nope'"
        assert "KeyError: 'nope'" in r.stderr
    if how in ("os_exit", "sigterm", "sighup"):
        assert leave.get("unfinished") is True


def test_sigint_left_at_default_writes_the_window(py, tmp_path):
    """An app that lets Ctrl-C kill it (SIGINT at SIG_DFL) still dies by
    SIGINT, once the open window is written."""
    r = py.run(tmp_path, "exits.py", "sigint_default")
    assert r.returncode == -signal.SIGINT, r.stderr
    assert r.stdout == "before sigint_default\n"
    t = only_trace(tmp_path)
    assert t["trigger"] == "signal" and t["end_reason"] == "exit"
    assert one(t, "leave")["unfinished"] is True


@pytest.mark.parametrize("window", ["open_at_exit", "closed_before"])
def test_app_objects_still_finalized_at_exit(py, tmp_path, window):
    """An instance of the app's class rendered in a window: at exit the
    app's module-level objects are still finalized (its __del__ runs, a
    file it never closed gets its buffered data). The renderer kept the
    class, and with it its methods' module dict, which then outlived the
    module and was never cleared."""
    prog = tmp_path / "finalized.py"
    prog.write_text("import os, signal, sys, time\n"
                    "class Noisy:\n"
                    "    def __del__(self):\n"
                    "        sys.stderr.write('del ran\\n')\n"
                    "def take(x):\n    return 1\n"
                    "def toggle():\n"
                    "    os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "    time.sleep(0.01)\n"
                    "if sys.argv[1] == 'closed_before':\n    toggle()\n"
                    "kept = Noisy()\n"
                    "take(kept)\n"
                    "if sys.argv[1] == 'closed_before':\n    toggle()\n"
                    "out = open('out.txt', 'w')\n"
                    "out.write('buffered, never closed\\n')\n")
    r = py.run(tmp_path, str(prog), window, autostart=int(window == "open_at_exit"), quiet=1)
    assert (r.returncode, r.stderr) == (0, "del ran\n")
    assert (tmp_path / "out.txt").read_text() == "buffered, never closed\n"
    assert one(only_trace(tmp_path), "take")["args"].startswith("x=<__main__.Noisy object at 0x")


@pytest.mark.parametrize("how", ["execv", "execvp", "execve_fd", "python", "failed"])
def test_exec_writes_the_window(py, tmp_path, how):
    """os.exec* replaces the process image: the window is written first,
    with end_reason "exec", even if the exec then fails (the rest of the
    run is not recorded then). The subprocess child that execs before is
    not this process and changes nothing."""
    r = py.run(tmp_path, "execs.py", how, autostart=1)
    replaced = how != "failed"
    assert r.returncode == 4, r.stderr
    assert r.stdout == "before %s child\n%s\n" % (how, "replaced" if replaced else "exec failed")
    ts = traces(tmp_path)
    assert len(ts) == (2 if how == "python" else 1), [t["argv"] for t in ts]
    t = [t for t in ts if t["argv"][-1] == how][0]
    assert t["end_reason"] == "exec", t["end_reason"]
    assert one(t, "work")["args"] == "n=1"   # and no work(2) after a failed exec
    assert one(t, "leave")["unfinished"] is True
    if how == "python":
        [new] = [u for u in ts if u is not t]
        assert new["pid"] == t["pid"] and new["end_reason"] == "exit"


def died_by_sigterm_after_writing(py, tmp_path, prog, end_reason, qualname, args):
    """Runs `prog` with a window from start-up: it must die by SIGTERM,
    printing nothing, after writing a window whose `qualname` calls had
    these `args`."""
    r = py.run(tmp_path, str(prog), autostart=1)
    assert (r.returncode, r.stdout) == (-signal.SIGTERM, ""), r.stderr
    t = only_trace(tmp_path)
    assert t["end_reason"] == end_reason, t["end_reason"]
    assert [n["args"] for n in find(t, qualname)] == args
    return r


@pytest.mark.parametrize("signals", [1, 2])
def test_sigterm_inside_our_repr_call_still_writes(py, tmp_path, signals):
    """SIGTERM's handler can run inside a __repr__ the recorder called, in
    the middle of recording a call: the window is written once that step
    is done with it, then the process dies by SIGTERM as it would have. A
    second SIGTERM meanwhile changes nothing (it used to end the process
    at once, without the window)."""
    prog = tmp_path / "term_in_repr.py"
    prog.write_text("import os, signal\n"
                    "class Loud:\n"
                    "    def __repr__(self):\n"
                    "        for _ in range(%d):\n"
                    "            os.kill(os.getpid(), signal.SIGTERM)\n"
                    "            sum(range(1000))\n"
                    "        return 'Loud()'\n"
                    "def take(obj):\n    return 1\n"
                    "take(1)\n"
                    "take(Loud())\n"
                    "print('not reached')\n" % signals)
    died_by_sigterm_after_writing(py, tmp_path, prog, "exit", "take", ["obj=1", "obj=Loud()"])


def test_sigterm_after_the_window_closed_inside_our_repr_call(py, tmp_path):
    """The window closes (SIGUSR1) inside a __repr__ the recorder called,
    so the call being recorded still holds it; SIGTERM then arrives. The
    window is written once that step is done with it, then the process
    dies by SIGTERM (it used to die at once, without the window)."""
    prog = tmp_path / "close_then_term.py"
    prog.write_text("import os, signal\n"
                    "class Closes:\n"
                    "    def __repr__(self):\n"
                    "        os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "        os.kill(os.getpid(), signal.SIGTERM)\n"
                    "        return 'Closes()'\n"
                    "def take(obj):\n    return 1\n"
                    "take(1)\n"
                    "take(Closes())\n"
                    "print('not reached')\n")
    died_by_sigterm_after_writing(py, tmp_path, prog, "signal", "take", ["obj=1", "obj=Closes()"])


@pytest.mark.parametrize("restored", [False, True])
def test_sigterm_waits_at_most_five_seconds_for_a_stuck_repr(py, tmp_path, restored):
    """A __repr__ blocked for good on a lock its caller holds: SIGTERM
    still kills the process (the window is lost then). Also when the app
    saved and restored the handler (ours) with signal.signal(), which puts
    Python's C-level handler back in front of ours."""
    prog = tmp_path / "stuck_repr.py"
    restore = ("saved = signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
               "signal.signal(signal.SIGTERM, saved)\n") if restored else ""
    prog.write_text("import os, signal, threading\n" + restore +
                    "lock = threading.Lock()\n"
                    "class Stuck:\n"
                    "    def __repr__(self):\n"
                    "        os.kill(os.getpid(), signal.SIGTERM)\n"
                    "        with lock:\n"
                    "            return 'Stuck()'\n"
                    "def take(obj):\n    return 1\n"
                    "with lock:\n"
                    "    take(Stuck())\n")
    r = py.run(tmp_path, str(prog), autostart=1, timeout=30)
    assert r.returncode == -signal.SIGTERM, r.stderr
    assert "]: SIGTERM: the window was not written within 5 s" in r.stderr, r.stderr


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGHUP])
def test_terminating_signal_kills_a_busy_main_thread_within_the_grace(py, tmp_path, signo):
    """The main thread busy in C code that never reaches a safe point (one
    sum() of minutes) cannot write the window: the signal still ends the
    process, 5 s after it arrived instead of at once (the window is lost
    then), where it would otherwise wait for the sum to finish."""
    prog = tmp_path / "busy.py"
    prog.write_text("def f(x):\n    return x\n"
                    "f(1)\n"
                    "print('ready', flush=True)\n"
                    "sum(range(10 ** 12))\n")
    p = py.start(tmp_path, str(prog), autostart=1)
    assert p.stdout.readline() == "ready\n"
    # In the sum for sure: it has burnt 0.3 s of CPU since (a signal sent
    # before it starts is handled at once, and the window written).
    wait_for(lambda: cpu_seconds(p.pid) >= 0.3, timeout=30, what="the sum to run")
    p.send_signal(signo)
    try:
        p.wait(timeout=60)
    finally:
        p.kill()
    err = p.stderr.read()
    assert p.returncode == -signo, err
    assert "the window was not written within 5 s" in err, err


def test_sigterm_handled_after_the_window_closed_still_kills(py, tmp_path):
    """SIGUSR1 and SIGTERM arrive together: Python runs SIGUSR1's handler
    first, which closes the window and gives SIGTERM back. SIGTERM, which
    arrived while it was ours, still kills the process once the window is
    on disk (Python alone would have dropped it, with an OSError in the
    app)."""
    prog = tmp_path / "both.py"
    prog.write_text("import os, signal, time\n"
                    "def f(x):\n    return x\n"
                    "f(1)\n"
                    "both = {signal.SIGUSR1, signal.SIGTERM}\n"
                    "signal.pthread_sigmask(signal.SIG_BLOCK, both)\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "os.kill(os.getpid(), signal.SIGTERM)\n"
                    "signal.pthread_sigmask(signal.SIG_UNBLOCK, both)\n"
                    "f(2)\n"
                    "print('not reached', flush=True)\n")
    r = died_by_sigterm_after_writing(py, tmp_path, prog, "signal", "f", ["x=1"])
    assert "race condition" not in r.stderr


def test_terminating_signals_given_back_after_the_window(py, tmp_path):
    """While a window is open SIGTERM, SIGHUP (and SIGINT, at SIG_DFL) are
    ours; once it closes, each is what it was, and a handler the app set
    meanwhile stays the app's. A forked child gets the defaults back."""
    prog = tmp_path / "handlers.py"
    prog.write_text(
        "import os, signal, time\n"
        "names = ('SIGTERM', 'SIGHUP', 'SIGINT')\n"
        "def show(when):\n"
        "    hs = [signal.getsignal(getattr(signal, n)) for n in names]\n"
        "    print(when, ['app' if h is app else 'dfl' if h == signal.SIG_DFL else\n"
        "                 'int' if h is signal.default_int_handler else 'other' for h in hs],\n"
        "          flush=True)\n"
        "def app(signo, frame):\n    pass\n"
        "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
        "show('before')\n"
        "os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.01)\n"
        "show('open')\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    show('child')\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "signal.signal(signal.SIGHUP, app)\n"
        "os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.01)\n"
        "show('closed')\n")
    r = py.run(tmp_path, str(prog))
    assert r.stdout == ("before ['dfl', 'dfl', 'dfl']\n"
                        "open ['other', 'other', 'other']\n"
                        "child ['dfl', 'dfl', 'dfl']\n"
                        "closed ['dfl', 'app', 'dfl']\n"), r.stderr
    assert len(traces(tmp_path)) == 1


def test_children_inherit_unless_told(py, tmp_path):
    r = py.run(tmp_path, "children.py")
    assert r.stdout == "child preload: yes\nsh: 42\n", r.stderr
    r = py.run(tmp_path, "children.py", inherit="false")
    assert r.stdout == "child preload: no\nsh: 42\n", r.stderr


@pytest.mark.parametrize("argv", [["sh", "-c", "echo hello; exit 3"], ["git", "--version"],
                                  ["true"], ["ls", "/"]])
def test_non_python_processes_untouched(tmp_path, argv):
    if not shutil.which(argv[0]):
        pytest.skip(argv[0] + " is not installed")
    env = dict(os.environ, LD_PRELOAD=str(PRELOAD), TRACEPATCH_AUTOSTART="1",
               TRACEPATCH_DEBUG="1")
    plain = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
    traced = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert (traced.returncode, traced.stdout) == (plain.returncode, plain.stdout)
    assert traced.stderr.startswith(plain.stderr)
    assert traced.stderr.endswith("]: staying out: not a Python process\n")
    assert not cache(tmp_path).exists()
    quiet = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path,
                           env=dict(env, TRACEPATCH_DEBUG="0"))
    assert quiet.stderr == plain.stderr


@pytest.mark.parametrize("version", ["2.7", "3.6", "3.7"])
def test_unsupported_python_untouched(tmp_path, version):
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
    found = [d for d in os.listdir(os.path.join(root, "versions")) if d.startswith(version + ".")] \
        if root and os.path.isdir(os.path.join(root, "versions")) else []
    if not found:
        pytest.skip("Python %s is not on this machine" % version)
    exe = os.path.join(root, "versions", found[0], "bin", "python")
    argv = [exe, "-c", "print(sum(range(10)))"]
    env = dict(os.environ, LD_PRELOAD=str(PRELOAD), TRACEPATCH_AUTOSTART="1",
               TRACEPATCH_DEBUG="1")
    traced = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert traced.returncode == 0 and traced.stdout == "45\n"
    # The version whole, without the build details after it.
    assert re.search(r"staying out: Python %s\.\d+ is not supported \(3\.8 or newer needed\)\n"
                     % re.escape(version), traced.stderr), traced.stderr
    assert not cache(tmp_path).exists()


FAKE_PYTHON_C = r"""
#include <stdio.h>
const char *Py_GetVersion(void) { return VERSION; }
int PySys_AddAuditHook(void *hook, void *data) { (void)hook; (void)data; return -1; }
#ifdef EXTRA
void EXTRA(void) {}
#endif
int main(void) { puts("ran"); return 3; }
"""


@pytest.mark.parametrize("version, symbol, reason", [
    ("3.13.0 experimental free-threading build (main) [GCC]", None, "a free-threaded build"),
    ("3.14.0 free-threading build (main) [GCC]", None, "a free-threaded build"),
    ("3.12.1 (main) [GCC]", "_Py_PrintReferences", "a Py_TRACE_REFS build"),
    ("3.11.7 (main) [GCC]", "_Py_NegativeRefcount", "a debug build"),
    ("3.12.1 (main) [GCC]", None, None),
])
def test_unsupported_builds_untouched(tmp_path, version, symbol, reason):
    """A core compiled for a release build would misread the memory of a
    free-threaded, Py_TRACE_REFS or debug one. None is on this machine, so
    a stand-in exports what the preload asks the dynamic linker for; the
    last case, a release build's answers, must get past these checks."""
    src = tmp_path / "fake.c"
    src.write_text(FAKE_PYTHON_C)
    exe = tmp_path / "fakepython"
    cmd = ["cc", "-rdynamic", "-DVERSION=\"%s\"" % version, str(src), "-o", str(exe)]
    if symbol:
        cmd.insert(1, "-DEXTRA=" + symbol)
    subprocess.run(cmd, check=True)
    env = dict(os.environ, LD_PRELOAD=str(PRELOAD), TRACEPATCH_AUTOSTART="1",
               TRACEPATCH_DEBUG="1")
    r = subprocess.run([str(exe)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert (r.returncode, r.stdout) == (3, "ran\n")
    if reason:
        assert r.stderr.endswith("]: staying out: Python %s is %s, not supported\n"
                                 % (version.split()[0], reason)), r.stderr
    else:
        assert "not supported" not in r.stderr and "staying out" not in r.stderr, r.stderr
    assert not cache(tmp_path).exists()
