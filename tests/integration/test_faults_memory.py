"""Fault matrix: memory runs out. fail_alloc/fail_alloc.c, preloaded, makes
one allocation fail (the Nth, for every N made).

- In tph: the command must either not notice (the same output, nothing on
  stderr) or end with one line on stderr saying it ran out of memory and a
  non-zero status; never crash, never print other output as if complete.
  `tph logs` reports a file it could not read and goes on with the others.
- In a traced Python, counting only the allocations tracepatch's core
  makes: the app's output, stderr and exit status are what they are
  without tracepatch, every file in the cache is a whole trace, and what
  tracepatch says is a window opened or written, or that memory ran out."""
import os
import re
import subprocess

import pytest

from conftest import PROGRAMS, REPO, TPH, asan_build
from test_faults_common import check_cache

FIXTURES = REPO / "tests" / "fixtures" / "traces"
SHIM_C = REPO / "tests" / "integration" / "fail_alloc" / "fail_alloc.c"


pytestmark = pytest.mark.skipif(
    asan_build(),
    reason="ASan's allocator stands in for malloc itself; the shim cannot go in front")


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    out = tmp_path_factory.mktemp("shim") / "fail_alloc.so"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror",
                    str(SHIM_C), "-o", str(out)], check=True)
    return str(out)


def run(shim, args, cwd, **env):
    e = dict(os.environ, LD_PRELOAD=shim, **env)
    e.pop("NO_COLOR", None)
    return subprocess.run([str(TPH), *args], cwd=cwd, env=e, capture_output=True, timeout=60)


def allocations(shim, args, cwd, tmp_path):
    count = tmp_path / "count"
    r = run(shim, args, cwd, TP_FAIL_ALLOC_COUNT=str(count))
    assert r.returncode == 0, r.stderr
    return r, int(count.read_text())


def ran_out(r):
    lines = r.stderr.decode(errors="replace").splitlines()
    return (r.returncode in (1, 2) and len(lines) == 1 and lines[0].startswith("tph")
            and ("out of memory" in lines[0] or "Cannot allocate memory" in lines[0]))


F = str(FIXTURES)
COMMANDS = [
    ["tree", F + "/threads.json"],
    ["tree", F + "/fold.json", "--where", "elapsed_ms > 1"],
    ["tree", F + "/basic.json", "--filter", "main", "--self", "--source"],
    ["view", F + "/basic.json"],
    ["view", F + "/threads.json", "--json"],
    ["stats", F + "/basic.json"],
    ["stats", F + "/threads.json", "--json"],
    ["diff", F + "/diff_a.json", F + "/diff_b.json"],
    ["diff", F + "/diff_edge_a.json", F + "/diff_edge_b.json", "--json"],
    ["lines", F + "/lines_basic.json"],
    ["lines", F + "/lines_statements.json"],
    ["export", F + "/threads.json", "--format", "speedscope"],
    ["export", F + "/threads.json", "--format", "chrome"],
    ["export", F + "/threads.json", "--format", "folded"],
    ["export", F + "/threads.json", "--format", "csv"],
    ["flame", F + "/threads.json", "-o", "-"],
    ["config"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(x.rsplit("/", 1)[-1] for x in a))
def test_every_failed_allocation_ends_cleanly_or_not_at_all(shim, args, tmp_path):
    whole, n = allocations(shim, args, tmp_path, tmp_path)
    assert n > 20   # the shim counts: the command allocates
    wrong = []
    for i in range(1, n + 1):
        r = run(shim, args, tmp_path, TP_FAIL_ALLOC=str(i))
        unnoticed = r.returncode == 0 and r.stdout == whole.stdout and not r.stderr
        if not (unnoticed or ran_out(r)):
            wrong.append((i, r.returncode, r.stderr[-300:], len(r.stdout), len(whole.stdout)))
    assert not wrong, wrong[:5]


def test_logs_reports_the_file_it_could_not_read_and_lists_the_others(shim, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in ("basic.json", "threads.json", "limited.json"):
        (cache / name).write_bytes((FIXTURES / name).read_bytes())
    args = ["logs", "--cache-dir", str(cache)]
    whole, n = allocations(shim, args, tmp_path, tmp_path)
    rows = set(whole.stdout.decode().splitlines())
    assert len(rows) == 4   # the heading and three traces
    skipped = 0
    for i in range(1, n + 1):
        r = run(shim, args, tmp_path, TP_FAIL_ALLOC=str(i))
        if r.returncode != 0:
            assert ran_out(r), (i, r.returncode, r.stderr)
            continue
        errors = r.stderr.decode().splitlines()
        shown = r.stdout.decode().splitlines()
        assert all(e.startswith("tph: " + str(cache)) and "out of memory" in e for e in errors), errors
        assert set(shown) <= rows and len(shown) == 4 - len(errors), (i, shown, errors)
        skipped += len(errors)
    assert skipped > 0   # some failures do land in one file's reading


OURS_SAY = re.compile(r"tracepatch\[\d+\]: (window opened|\d+ calls -> |.*out of memory"
                      r"|.*Cannot allocate memory)")


@pytest.mark.parametrize("program", ["basic.py", "threads.py"])
def test_the_app_never_notices_the_core_running_out(py, shim, program, tmp_path):
    prog = str(PROGRAMS / program)
    plain = subprocess.run([py.path, prog], cwd=tmp_path, env=py.env(False), capture_output=True,
                           text=True, timeout=60)

    def traced(i):
        d = tmp_path / str(i)
        d.mkdir()
        env = py.env(True, autostart=1)
        env.update(LD_PRELOAD=shim + ":" + env["LD_PRELOAD"], TP_FAIL_ALLOC=str(i),
                   TP_FAIL_ALLOC_FROM="libtracepatch-core", TP_FAIL_ALLOC_COUNT=str(d / "count"))
        return d, subprocess.run([py.path, prog], cwd=d, env=env, capture_output=True, text=True,
                                 timeout=60)

    d, whole = traced(0)
    n = int((d / "count").read_text())
    assert n > 30 and len(check_cache(d / ".tracepatch_cache")) == 1
    said = set()
    for i in range(1, n + 1):
        d, r = traced(i)
        assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout), (i, r.stderr)
        ours = [l for l in r.stderr.splitlines() if l.startswith("tracepatch[")]
        assert [l for l in r.stderr.splitlines() if not l.startswith("tracepatch[")] == \
            plain.stderr.splitlines(), (i, r.stderr)
        assert all(OURS_SAY.match(l) for l in ours), (i, ours)
        check_cache(d / ".tracepatch_cache")
        said |= {l.split("]: ", 1)[1].split(":")[0] for l in ours}
    assert "trace not written" in said   # some failures do land in the write
