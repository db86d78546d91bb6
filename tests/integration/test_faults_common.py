"""Helpers shared by the fault-matrix tests (test_faults_*.py); no tests here.

Every fault test checks the same three things: the app's own stdout and
exit status are what they are without the preload, the process was not
killed, and whatever the cache holds is a set of complete, valid, private
trace files (never a temporary or half-written one under a final name).
"""
import json
import os
import re
import stat
import subprocess
import time

from conftest import PROGRAMS, walk

NAME = re.compile(r"trace_\d{8}_\d{6}_\d{6}(_[A-Za-z0-9_-]+)?_\d+\.json")


def _no_constants(name):
    raise ValueError("not JSON (RFC 8259): %s" % name)


def load_strict(path):
    """Parses one trace file as strict JSON (no NaN/Infinity, UTF-8)."""
    with open(path, "rb") as f:
        data = f.read()
    return json.loads(data.decode("utf-8"), parse_constant=_no_constants)


def check_trace(t):
    """The invariants every trace file keeps, whatever happened."""
    assert t["schema_version"] == 1
    assert t["call_count"] == sum(1 for _ in walk(t["trace"])), "call_count != nodes"
    assert t["end_reason"] in ("signal", "trigger_file", "max_calls", "max_seconds", "exit",
                               "max_memory")
    assert t["trigger"] in ("signal", "trigger_file", "startup")
    for n, _d, _p in walk(t["trace"]):
        assert n["end"] >= n["start"]
    return t


def check_cache(cache_dir, allow_other=()):
    """Every file in the cache is ours and complete; returns the traces,
    oldest first. No temporary file may be left behind."""
    cache_dir = str(cache_dir)
    if not os.path.exists(cache_dir):
        return []
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    out = []
    for name in sorted(os.listdir(cache_dir)):
        path = os.path.join(cache_dir, name)
        if name in (".gitignore", "README") or name in allow_other:
            continue
        assert NAME.fullmatch(name), "unexpected file in the cache: %r" % name
        st = os.lstat(path)
        assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600, name
        out.append(check_trace(load_strict(path)))
    return out


def plain_and_traced(py, cwd, program, *args, timeout=60, **settings):
    """Runs a program without and with the preload; asserts the app's stdout
    and exit status are the same; returns (plain, traced)."""
    plain = py.run(cwd, program, *args, preload=False, timeout=timeout)
    traced = py.run(cwd, program, *args, timeout=timeout, **settings)
    assert traced.returncode == plain.returncode, traced.stderr
    assert traced.stdout == plain.stdout, traced.stderr
    return plain, traced


def our_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("tracepatch")]


def popen(py, cwd, program, *args, preload=True, pyargs=(), env_extra=None, **settings):
    prog = program if os.path.isabs(str(program)) else str(PROGRAMS / program)
    env = py.env(preload, **settings)
    if env_extra:
        env.update(env_extra)
    return subprocess.Popen([py.path, *pyargs, prog, *args], cwd=cwd, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


def run(py, cwd, program, *args, preload=True, pyargs=(), env_extra=None, timeout=60,
        preexec_fn=None, **settings):
    prog = program if os.path.isabs(str(program)) else str(PROGRAMS / program)
    env = py.env(preload, **settings)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([py.path, *pyargs, prog, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=preexec_fn)


def wait_line(stream, predicate, timeout=20):
    """Reads lines from a text stream until one satisfies predicate."""
    end = time.monotonic() + timeout
    seen = []
    while time.monotonic() < end:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if predicate(line):
            return line
    raise AssertionError("line not seen; got %r" % seen)
