"""Fault matrix: the cache directory and the files in it (issue 5).

Unwritable, full, a symlink, deleted mid-run, planted symlinks at the
temporary or final name, a loose umask: the app's output and status never
change, each failure is one line naming the path and the reason, no
partial file ever appears under a final name, and a trace the cache
directory cannot take goes to the fallback directory (`fallback_dir`).
"""
import os
import re
import resource
import shutil
import stat
import subprocess
import time

import pytest

from conftest import Interactive, PROGRAMS, cache, find
from test_faults_common import check_cache, our_lines, plain_and_traced, popen, run

WORK = "fault_work.py"
APP = "fault_signals.py"


def not_written(stderr):
    return [l for l in our_lines(stderr) if "trace not written" in l]


def fell_back(stderr, fallback):
    """The one line saying where the trace went instead, and why: returns
    the reason; the fallback directory holds that one complete trace."""
    [line] = [l for l in our_lines(stderr) if " calls -> " in l]
    m = re.search(r" calls -> %s/(trace_\S+\.json) \((.*)\)$" % re.escape(str(fallback)), line)
    assert m, line
    [t] = check_cache(fallback)
    assert t["call_count"] > 0
    assert not_written(stderr) == [], stderr
    return m.group(2)


def assert_nothing_partial(d):
    """No trace_*.json and no temporary file in d (or d absent)."""
    if os.path.isdir(d):
        assert [n for n in os.listdir(d) if n.startswith(("trace_", ".trace_"))] == []


@pytest.fixture
def mount_point(tmp_path):
    """A place to mount a tmpfs on; skips where mounting is not allowed."""
    made = []

    def mount(name, options):
        target = tmp_path / name
        target.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip("cannot mount a tmpfs here: " + r.stderr.strip())
        made.append(target)
        return target

    yield mount
    for target in made:
        subprocess.run(["umount", "-l", str(target)])


# ---- unwritable ----

def test_cache_dir_under_a_regular_file(py, tmp_path):
    (tmp_path / "afile").write_text("x")
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, cache_dir="afile/cache",
                             fallback_dir=str(fallback))
    why = fell_back(r.stderr, fallback)
    assert "afile/cache" in why and "Not a directory" in why, why
    # With no fallback: one line, and nothing anywhere.
    shutil.rmtree(fallback)
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, cache_dir="afile/cache",
                             fallback_dir="none")
    [line] = not_written(r.stderr)
    assert "afile/cache" in line and "Not a directory" in line, line
    assert not fallback.exists()


def test_default_fallback_is_private_in_tmpdir(py, tmp_path):
    """By default the fallback is tracepatch-<uid> in TMPDIR (or /tmp),
    0700; one that belongs to another user is refused like a cache
    directory, and then the line gives both reasons."""
    (tmp_path / "afile").write_text("x")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = py.env(True, autostart=1, cache_dir="afile/cache")
    env["TMPDIR"] = str(tmpdir)
    r = subprocess.run([py.path, str(PROGRAMS / WORK)], cwd=tmp_path, capture_output=True,
                       text=True, env=env, timeout=60)
    fallback = tmpdir / ("tracepatch-%d" % os.geteuid())
    assert "Not a directory" in fell_back(r.stderr, fallback)
    if os.geteuid() != 0:
        return
    shutil.rmtree(fallback)
    fallback.mkdir(mode=0o777)
    os.chown(fallback, 65534, 65534)
    r = subprocess.run([py.path, str(PROGRAMS / WORK)], cwd=tmp_path, capture_output=True,
                       text=True, env=env, timeout=60)
    [line] = not_written(r.stderr)
    assert "Not a directory; fallback: cannot use %s: it belongs to another user (refused)" \
        % fallback in line, line
    assert os.listdir(fallback) == []


def test_cache_dir_on_a_read_only_filesystem(py, tmp_path, mount_point):
    ro = mount_point("ro", "ro,size=1m")
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, cache_dir=str(ro / "cache"),
                             fallback_dir=str(fallback))
    why = fell_back(r.stderr, fallback)
    assert str(ro / "cache") in why and "Read-only file system" in why, why


def test_cache_dir_not_writable_by_us(py, tmp_path):
    d = tmp_path / ".tracepatch_cache"
    d.mkdir(mode=0o500)
    if os.geteuid() == 0:
        # root writes anywhere; the refusal to test is another user's dir.
        os.chown(d, 65534, 65534)
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, fallback_dir=str(fallback))
    why = fell_back(r.stderr, fallback)
    assert str(d) in why and ("Permission denied" in why or "another user" in why), why
    assert_nothing_partial(d)


def test_working_directory_deleted(py, tmp_path):
    """A deploy that swaps releases deletes a running service's working
    directory: a window still opens; a relative cache_dir cannot be written
    (one line, naming the directory), an absolute one can."""
    prog = tmp_path / "gone.py"
    prog.write_text("import os, shutil, signal\n"
                    "def work(x):\n    return x + 1\n"
                    "os.mkdir('release')\nos.chdir('release')\n"
                    "shutil.rmtree(os.path.join('..', 'release'))\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "work(1)\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "print('done')\n")
    fallback = tmp_path / "fallback"
    r = py.run(tmp_path, str(prog), fallback_dir=str(fallback))
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
    assert "window opened (signal SIGUSR1)" in r.stderr, r.stderr
    why = fell_back(r.stderr, fallback)
    assert why.endswith("(working directory: %s (deleted))" % (tmp_path / "release")), why
    assert sorted(os.listdir(tmp_path)) == ["fallback", "gone.py"]
    r = py.run(tmp_path, str(prog), cache_dir=str(tmp_path / "abs"))
    assert (r.returncode, r.stdout) == (0, "done\n"), r.stderr
    [t] = check_cache(tmp_path / "abs")
    assert t["working_directory"] == "%s (deleted)" % (tmp_path / "release")
    assert [n["args"] for n in find(t, "work")] == ["x=1"]


# ---- full ----

def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, 32 * 1024))


def test_file_size_limit(py, tmp_path):
    """RLIMIT_FSIZE: our write fails with EFBIG (Python ignores SIGXFSZ);
    the temporary file is removed; the app goes on."""
    plain = run(py, tmp_path, WORK, "3000", preload=False, preexec_fn=_limit_file_size)
    fallback = tmp_path / "fallback"
    r = run(py, tmp_path, WORK, "3000", autostart=1, preexec_fn=_limit_file_size,
            fallback_dir=str(fallback))
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout) == (5, plain.stdout)
    [line] = not_written(r.stderr)   # the limit holds in the fallback too
    assert "File too large; fallback: " in line and line.endswith("File too large"), line
    assert_nothing_partial(cache(tmp_path))
    assert_nothing_partial(fallback)


def test_full_filesystem(py, tmp_path, mount_point):
    small = mount_point("small", "size=64k")
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, "3000", autostart=1, min_free_mb=0,
                             cache_dir=str(small / "cache"), fallback_dir=str(fallback))
    assert "No space left on device" in fell_back(r.stderr, fallback)
    assert_nothing_partial(small / "cache")
    # Once there is room again, the next window is written.
    r = run(py, tmp_path, WORK, "10", autostart=1, min_free_mb=0, cache_dir=str(small / "cache"))
    assert len(check_cache(small / "cache")) == 1, r.stderr


# ---- min_free_mb ----

def free_mb(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize >> 20


def test_min_free_mb_keeps_a_trace_off_a_nearly_full_disk(py, tmp_path):
    """Less free than min_free_mb: no trace, since the app's own files may
    share the disk. The line names the file, the free space and the key."""
    limit = free_mb(tmp_path) + 1024
    if limit > 1048576:
        pytest.skip("more than a TiB free: min_free_mb cannot go above it")
    fallback = tmp_path / "fallback"   # the same file system: refused there too
    _p, r = plain_and_traced(py, tmp_path, WORK, "10", autostart=1, min_free_mb=limit,
                             fallback_dir=str(fallback))
    [line] = not_written(r.stderr)
    assert re.search(r"/\.tracepatch_cache/trace_\S+\.json: its file system has \d+ MB free, "
                     r"and min_free_mb is %d; fallback: \S+/fallback/trace_\S+\.json: its file "
                     r"system has \d+ MB free, and min_free_mb is %d$" % (limit, limit), line), line
    assert_nothing_partial(cache(tmp_path))
    assert_nothing_partial(fallback)
    r = run(py, tmp_path, WORK, "10", autostart=1, min_free_mb=0)   # 0: no check
    assert len(check_cache(cache(tmp_path))) == 1, r.stderr


def test_min_free_mb_leaves_a_file_system_without_a_size_alone(py, tmp_path, mount_point):
    """A tmpfs mounted with size=0 has no limit and says 0 blocks, 0 free:
    nothing to keep free there (the first version refused every trace)."""
    unlimited = mount_point("unlimited", "size=0")
    assert os.statvfs(unlimited).f_blocks == 0
    _p, r = plain_and_traced(py, tmp_path, WORK, "10", autostart=1,
                             cache_dir=str(unlimited / "cache"))
    assert not_written(r.stderr) == [], r.stderr
    assert len(check_cache(unlimited / "cache")) == 1, r.stderr


def test_min_free_mb_stops_a_write_that_would_cross_it(py, tmp_path, mount_point):
    small = mount_point("small", "size=6m")
    d = small / "cache"
    r = run(py, tmp_path, WORK, "10", autostart=1, cache_dir=str(d), min_free_mb=4)
    assert len(check_cache(d)) == 1, r.stderr   # ~10 kB: leaves more than 4 MB
    # ~2.8 MB would leave less: refused part-way, its temporary file
    # removed; the fallback, on a roomier file system, takes it.
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, "3000", autostart=1, cache_dir=str(d),
                             min_free_mb=4, fallback_dir=str(fallback))
    why = fell_back(r.stderr, fallback)
    assert re.search(r"its file system has [45] MB free, and min_free_mb is 4$", why), why
    assert len(check_cache(d)) == 1
    assert free_mb(small) >= 4
    r = run(py, tmp_path, WORK, "3000", autostart=1, cache_dir=str(d), min_free_mb=1)
    assert len(check_cache(d)) == 2, r.stderr


# ---- symlinks ----

def test_cache_dir_is_a_symlink(py, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, tmp_path / ".tracepatch_cache")
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, fallback_dir=str(fallback))
    assert fell_back(r.stderr, fallback).endswith("it is a symlink (refused)")
    assert os.listdir(elsewhere) == []


def test_cache_dir_replaced_by_a_symlink_mid_run(py, tmp_path):
    app = Interactive(popen(py, tmp_path, APP, fallback_dir="none"))
    d = cache(tmp_path)
    for _ in range(2):
        app.signal()
        time.sleep(0.05)
        app.send("work 3")
        app.signal()
        time.sleep(0.05)
        if d.exists() and not d.is_symlink():
            wait_for_traces(d, 1)
            shutil.rmtree(d)
            elsewhere = tmp_path / "elsewhere"
            elsewhere.mkdir()
            os.symlink(elsewhere, d)
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    assert os.listdir(tmp_path / "elsewhere") == []
    [line] = not_written(err)
    assert line.endswith("it is a symlink (refused)"), line


def test_cache_dir_owned_by_another_user(py, tmp_path, request):
    """Someone else made .tracepatch_cache (say in a shared directory):
    we do not write our traces into their directory."""
    d = tmp_path / ".tracepatch_cache"
    d.mkdir(mode=0o777)
    os.chmod(d, 0o777)
    if os.geteuid() != 0:
        pytest.skip("needs root to make a directory owned by another user")
    os.chown(d, 65534, 65534)
    fallback = tmp_path / "fallback"
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, fallback_dir=str(fallback))
    assert fell_back(r.stderr, fallback).endswith("it belongs to another user (refused)")
    assert_nothing_partial(d)


def wait_for_traces(d, n):
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if len([x for x in os.listdir(d) if x.startswith("trace_")]) >= n:
            return
        time.sleep(0.02)
    raise AssertionError("no trace written")


def test_cache_dir_deleted_mid_run(py, tmp_path):
    app = Interactive(popen(py, tmp_path, APP))
    d = cache(tmp_path)
    for i in range(2):
        app.signal()
        time.sleep(0.05)
        app.send("work 3")
        app.signal()
        time.sleep(0.05)
        if i == 0:
            wait_for_traces(d, 1)
            shutil.rmtree(d)
    rc, out, err = app.finish()
    assert rc == 0 and out == "bye\n"
    [t] = check_cache(d)       # recreated, 0700, with its .gitignore and README
    assert sorted(os.listdir(d))[:2] == [".gitignore", "README"]
    assert len(find(t, "branch")) == 3
    assert not_written(err) == []


@pytest.fixture(scope="session")
def plant_shim(tmp_path_factory):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler for the test shim")
    out = tmp_path_factory.mktemp("shim") / "plant.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(out),
                    str(PROGRAMS / "fault_plant_shim.c"), "-ldl"], check=True)
    return out


def run_with_shim(py, tmp_path, shim, **env):
    e = py.env(True, autostart=1)
    e["LD_PRELOAD"] = "%s %s" % (shim, e["LD_PRELOAD"])
    e.update(env)
    return subprocess.run([py.path, str(PROGRAMS / WORK), "10"], cwd=tmp_path,
                          capture_output=True, text=True, env=e, timeout=60)


def test_planted_symlink_at_the_temporary_name(py, tmp_path, plant_shim):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    r = run_with_shim(py, tmp_path, plant_shim, FAULT_PLANT_TMP=str(victim),
                      TRACEPATCH_FALLBACK_DIR=str(tmp_path / "fallback"))
    assert r.returncode == 5 and r.stdout.startswith("total")
    assert victim.read_text() == "precious\n"
    [line] = not_written(r.stderr)   # planted in the fallback too
    assert "File exists; fallback: " in line and line.endswith("File exists"), line
    assert [n for n in os.listdir(cache(tmp_path)) if n.startswith("trace_")] == []


def test_planted_symlink_at_the_final_name(py, tmp_path, plant_shim):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    r = run_with_shim(py, tmp_path, plant_shim, FAULT_PLANT_FINAL=str(victim))
    assert r.returncode == 5
    assert victim.read_text() == "precious\n"
    # rename() replaced the link itself: our file is a regular 0600 file.
    [t] = check_cache(cache(tmp_path))
    assert t["call_count"] == 32 or len(find(t, "branch")) == 10


def test_loose_umask_does_not_loosen_modes(py, tmp_path):
    r = run(py, tmp_path, WORK, "10", autostart=1, preexec_fn=lambda: os.umask(0))
    assert r.returncode == 5
    d = cache(tmp_path)
    assert len(check_cache(d)) == 1         # 0700 dir, 0600 trace
    for name in (".gitignore", "README"):
        assert stat.S_IMODE(os.stat(d / name).st_mode) == 0o600


def test_nested_cache_dir_created_private(py, tmp_path):
    r = run(py, tmp_path, WORK, "10", autostart=1, cache_dir="a/b/c",
            preexec_fn=lambda: os.umask(0))
    assert r.returncode == 5, r.stderr
    assert len(check_cache(tmp_path / "a/b/c")) == 1
    for sub in ("a", "a/b"):
        assert stat.S_IMODE(os.stat(tmp_path / sub).st_mode) == 0o700


def test_our_lines_stay_out_of_a_file_the_app_put_on_fd_2(py, tmp_path):
    # The app closed stderr and its next open() got fd 2: our lines went
    # into its data (an audit). A file opened for appending there is taken
    # for the app's log, as a daemon's dup2 makes it, and gets them.
    r = py.run(tmp_path, "stderr_reused.py", "data")
    assert (r.returncode, r.stdout) == (0, "record 1\nrecord 2\n")
    log = py.run(tmp_path, "stderr_reused.py", "log")
    assert log.returncode == 0
    lines = log.stdout.splitlines()
    assert lines[0] == "record 1" and "record 2" in lines
    assert any(re.match(r"tracepatch\[\d+\]: window opened", l) for l in lines), lines
