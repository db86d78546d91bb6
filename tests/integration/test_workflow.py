"""The everyday loop with real processes: tph run, tph trace PID and its
error paths, exports and the flame graph of a real trace (the SVG opened
in headless Chromium when it is installed), and an install into a
temporary prefix used from there."""
import csv
import io
import json
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib

import pytest

from conftest import BUILD, PYTHONS, REPO, TPH, cache, only_trace, walk

BUSY = REPO / "tests" / "fixtures" / "workflow" / "busy.py"
SVG = "{http://www.w3.org/2000/svg}"


def tph(*args, cwd, env=None, timeout=60, tph_path=TPH, check=None):
    r = subprocess.run([str(tph_path), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=timeout)
    if check is not None:
        assert r.returncode == check, (r.returncode, r.stdout, r.stderr)
    return r


def start_busy(py, cwd, *args, tph_path=TPH, user=None):
    """busy.py under `tph run` (no window yet); returns the Popen once ready."""
    argv = [str(tph_path), "run", "--", py.path, str(BUSY), *args]
    if user:
        argv = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups", *argv]
    p = subprocess.Popen(argv, cwd=cwd, env=py.env(preload=False), text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == "ready", p.stderr.read()
    return p


def stop(p):
    p.stdin.close()
    p.wait(timeout=30)


def test_run_exit_status_and_settings(py, tmp_path):
    prog = tmp_path / "exit3.py"
    prog.write_text("def f(x):\n    return x + 1\n\nf(1)\nraise SystemExit(3)\n")
    r = tph("run", "--autostart", "--set", "default_label=ex", "--", py.path, prog,
            cwd=tmp_path, env=py.env(preload=False))
    assert r.returncode == 3, r.stderr
    t = only_trace(tmp_path)
    assert t["label"] == "ex" and t["trigger"] == "startup"
    assert [n["qualname"] for n, _d, _p in walk(t["trace"]) if n["qualname"] == "f"] == ["f"]
    killed = tph("run", "--", py.path, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
                 cwd=tmp_path, env=py.env(preload=False))
    assert killed.returncode == -signal.SIGKILL


def test_trace_pid_outputs(py, tmp_path):
    p = start_busy(py, tmp_path)
    try:
        r = tph("trace", p.pid, "--seconds", "0.5", "--output", "path", cwd="/", check=0)
        path = pathlib.Path(r.stdout.strip())
        assert path.parent == cache(tmp_path) and path.name.endswith("_%d.json" % p.pid)
        t = json.loads(path.read_text())
        assert t["pid"] == p.pid and t["trigger"] == "signal" and t["end_reason"] == "signal"
        assert any(n["qualname"] == "work" for n, _d, _p in walk(t["trace"]))
        assert "SIGUSR1 sent to PID %d (" % p.pid in r.stderr
        tree = tph("trace", p.pid, "--seconds", "0.3", "--no-pager", cwd="/", check=0)
        assert "__main__.work(" in tree.stdout
        # When the window opens between two calls of work(), every root is
        # work() and the default folding shows none of their children.
        newest = sorted(cache(tmp_path).glob("trace_*.json"))[-1]
        tree = tph("tree", "--no-fold", "--no-pager", newest, cwd="/", check=0)
        assert "__main__.work(" in tree.stdout and "__main__.square(n=" in tree.stdout
        stats = tph("trace", p.pid, "--seconds", "0.3", "--output", "stats", "--no-pager",
                    cwd="/", check=0)
        assert "Most called functions:" in stats.stdout
    finally:
        stop(p)
    assert len(list(cache(tmp_path).glob("trace_*.json"))) == 3


def test_trace_waits_for_a_process_that_has_not_reached_its_program(py, tmp_path):
    """`tph run -- CMD & tph trace $!`: $! is a shell's child, then tph, and
    only then CMD with the preload; here the shell waits 0.3 s first."""
    cmd = "sleep 0.3; exec %s run -- %s %s" % (TPH, py.path, BUSY)
    p = subprocess.Popen(["sh", "-c", cmd], cwd=tmp_path, env=py.env(preload=False), text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        r = tph("trace", p.pid, "--seconds", "0.3", "--output", "path", cwd="/", check=0)
        path = pathlib.Path(r.stdout.strip())
        assert path.parent == cache(tmp_path) and path.name.endswith("_%d.json" % p.pid)
        assert p.stdout.readline().strip() == "ready"
    finally:
        stop(p)


def test_trace_uses_target_signal_and_cache_dir(py, tmp_path):
    env = py.env(preload=False, signal="USR2", cache_dir="traces")
    p = subprocess.Popen([str(TPH), "run", "--", py.path, str(BUSY)], cwd=tmp_path, env=env,
                         text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == "ready"
    try:
        r = tph("trace", p.pid, "--seconds", "0.3", "--output", "path", cwd="/", check=0)
        assert pathlib.Path(r.stdout.strip()).parent == tmp_path / "traces"
        assert "tph: SIGUSR2 sent to PID %d (" % p.pid in r.stderr
    finally:
        stop(p)


def test_trace_and_logs_find_a_trace_in_the_fallback_directory(py, tmp_path):
    # The target's cache directory cannot be made (a file is in the way):
    # its trace goes to tracepatch-<uid> in its TMPDIR, where tph trace
    # waits for it too, and tph logs (same TMPDIR) says it is there.
    (tmp_path / "afile").write_text("x")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = py.env(preload=False, cache_dir="afile/cache")
    env["TMPDIR"] = str(tmpdir)
    p = subprocess.Popen([str(TPH), "run", "--", py.path, str(BUSY)], cwd=tmp_path, env=env,
                         text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == "ready"
    fallback = tmpdir / ("tracepatch-%d" % os.geteuid())
    try:
        r = tph("trace", p.pid, "--seconds", "0.3", "--output", "path", cwd="/", check=0)
        path = pathlib.Path(r.stdout.strip())
        assert path.parent == fallback, r.stderr
        assert json.loads(path.read_text())["pid"] == p.pid
    finally:
        stop(p)
    assert "calls -> %s/%s (cannot create" % (fallback, path.name) in p.stderr.read()
    logs = tph("logs", "--no-pager", cwd=tmp_path, env=env, check=0)
    assert logs.stdout.endswith("\n1 trace in %s, where a trace goes when its cache directory "
                                "cannot take it:\n    tph logs --cache-dir %s\n"
                                % (fallback, fallback)), logs.stdout
    listed = tph("logs", "--no-pager", "--cache-dir", fallback, cwd=tmp_path, env=env, check=0)
    assert path.name in listed.stdout


def test_trace_errors(py, tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    r = tph("trace", gone.pid, cwd=tmp_path, check=1)
    assert r.stderr == "tph: PID %d: no such process\n" % gone.pid

    plain = subprocess.Popen([py.path, "-c", "import time; time.sleep(30)"], env=py.env(preload=False))
    try:
        r = tph("trace", plain.pid, cwd=tmp_path, check=1)
        assert "was not started with the preload: start it with 'tph run -- COMMAND'" in r.stderr
    finally:
        plain.kill()
        plain.wait()

    blocked = start_busy(py, tmp_path, "block")
    try:
        t0 = time.monotonic()
        r = tph("trace", blocked.pid, "--seconds", "0.2", "--wait", "1", cwd=tmp_path, check=1)
        assert "no trace from PID %d in %s after 1s" % (blocked.pid, cache(tmp_path)) in r.stderr
        assert time.monotonic() - t0 < 10
    finally:
        stop(blocked)


@pytest.mark.parametrize("handler", ["SIG_DFL", "SIG_IGN"])
def test_trace_never_sends_a_signal_that_would_end_the_process(py, tmp_path, handler):
    # The app set SIGUSR1 back to its default (which ends a process) or to
    # ignored: tph trace checks /proc/PID/status before it sends anything.
    # (The core catches the signal only once it has read its configuration,
    # a moment after it shows up in the maps: the same check covers that.)
    prog = tmp_path / "reset.py"
    prog.write_text("import signal, sys\n"
                    "signal.signal(signal.SIGUSR1, signal.%s)\n"
                    "print('ready', flush=True)\nsys.stdin.read()\n" % handler)
    p = subprocess.Popen([py.path, str(prog)], cwd=tmp_path, env=py.env(), text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == "ready"
    try:
        r = tph("trace", p.pid, "--seconds", "0.2", cwd=tmp_path, check=1)
        if handler == "SIG_DFL":
            assert "does not catch SIGUSR1 yet, and it would end the process" in r.stderr, r.stderr
        else:
            assert "ignores SIGUSR1 (the app set it so): no window to open" in r.stderr, r.stderr
        assert p.poll() is None, "tph trace ended the process"
    finally:
        stop(p)
    assert p.returncode == 0


def test_trace_of_an_app_that_handles_the_signal_says_what_to_do(py, tmp_path):
    # gunicorn's workers reopen their logs on SIGUSR1. From outside, their
    # handler looks like ours; the app's stderr said so at start, and the
    # timeout names the way out.
    prog = tmp_path / "own_handler.py"
    prog.write_text("import signal, sys\n"
                    "signal.signal(signal.SIGUSR1, lambda *a: print('app got it', flush=True))\n"
                    "print('ready', flush=True)\nsys.stdin.read()\n")
    p = subprocess.Popen([py.path, str(prog)], cwd=tmp_path, env=py.env(), text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == "ready"
    try:
        r = tph("trace", p.pid, "--seconds", "0.2", "--wait", "0.5", cwd=tmp_path, check=1)
        assert ("if the app handles SIGUSR1 itself (gunicorn does), its stderr said so and no "
                "window opened: set signal = \"RTMIN\" there") in r.stderr, r.stderr
    finally:
        out, err = p.communicate("", timeout=30)
    assert p.returncode == 0
    assert out == "app got it\napp got it\n"
    assert "SIGUSR1 handler replaced by the app" in err


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_trace_not_permitted(py, tmp_path):
    p = start_busy(py, tmp_path)
    try:
        r = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                            str(TPH), "trace", str(p.pid)], cwd="/", capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 1, r.stderr
        assert r.stderr.startswith("tph: PID %d (" % p.pid)
        assert "not permitted to read /proc/%d/maps: it belongs to uid 0; run tph as that user or as root" % p.pid in r.stderr
        assert r.stderr.count("\n") == 1
    finally:
        stop(p)


def real_trace(py, cwd):
    r = tph("run", "--autostart", "--", py.path, str(BUSY), cwd=cwd, env=py.env(preload=False),
            timeout=60)
    # busy.py with stdin from /dev/null (EOF at once) makes a few calls and ends.
    assert r.returncode == 0, r.stderr
    path = sorted(cache(cwd).glob("trace_*.json"))[-1]
    return path, json.loads(path.read_text())


def test_exports_of_a_real_trace(py, tmp_path):
    prog = tmp_path / "prog.py"
    prog.write_text("import threading\n\ndef leaf(i):\n    return i * 2\n\n"
                    "def mid(i):\n    return [leaf(j) for j in range(i)]\n\n"
                    "def run(n):\n    for i in range(n):\n        mid(i)\n\n"
                    "t = threading.Thread(target=run, args=(5,), name='side')\n"
                    "t.start(); run(8); t.join()\n")
    r = tph("run", "--autostart", "--", py.path, prog, cwd=tmp_path, env=py.env(preload=False))
    assert r.returncode == 0, r.stderr
    path = sorted(cache(tmp_path).glob("trace_*.json"))[-1]
    t = json.loads(path.read_text())
    nodes = [n for n, _d, _p in walk(t["trace"])]

    chrome = json.loads(tph("export", path, "--format", "chrome", cwd=tmp_path, check=0).stdout)
    events = [e for e in chrome["traceEvents"] if e["ph"] == "X"]
    assert len(events) == len(nodes) == t["call_count"]
    for e, n in zip(events, nodes):
        assert e["name"].endswith(n["qualname"])
        assert abs(e["dur"] - n["elapsed_ms"] * 1000) < 0.01
        assert abs(e["ts"] - n["start"] * 1e6) < 1
    names = {e["args"]["name"] for e in chrome["traceEvents"] if e["name"] == "thread_name"}
    assert names == {th["name"] for th in t["threads"]}
    assert {e["tid"] for e in events} == {th["native_id"] for th in t["threads"]}

    folded = tph("export", path, "--format", "folded", cwd=tmp_path, check=0).stdout.splitlines()
    total = sum(int(line.rsplit(" ", 1)[1]) for line in folded)
    roots = sum(round(n["elapsed_ms"] * 1000) for n in t["trace"])
    assert abs(total - roots) <= len(nodes), (total, roots)
    assert all(line.split(";")[0] in names for line in folded)

    out = tmp_path / "calls.csv"
    tph("export", path, "--format", "csv", "-o", out, cwd=tmp_path, check=0)
    rows = list(csv.DictReader(io.StringIO(out.read_text(), newline="")))
    assert len(rows) == len(nodes)
    assert [r["qualname"] for r in rows] == [n["qualname"] for n in nodes]

    ss = json.loads(tph("export", path, "--format", "speedscope", cwd=tmp_path, check=0).stdout)
    assert sum(len(p["events"]) for p in ss["profiles"]) == 2 * len(nodes)

    bad = tph("export", path, "--format", "csv", "-o", tmp_path / "no" / "x.csv", cwd=tmp_path, check=1)
    assert bad.stderr == "tph: %s: No such file or directory\n" % (tmp_path / "no" / "x.csv")


def flame_of(py, cwd):
    prog = cwd / "prog.py"
    prog.write_text("import json\n\ndef leaf(i):\n    return json.dumps({'i': i})\n\n"
                    "def mid(i):\n    return [leaf(j) for j in range(i)]\n\n"
                    "def run(n):\n    return [mid(i) for i in range(n)]\n\nrun(12)\n")
    tph("run", "--autostart", "--", py.path, prog, cwd=cwd, env=py.env(preload=False), check=0)
    path = sorted(cache(cwd).glob("trace_*.json"))[-1]
    svg = cwd / "flame.svg"
    r = tph("flame", path, "-o", svg, cwd=cwd, check=0)
    assert "tph: wrote %s (" % svg in r.stderr
    return json.loads(path.read_text()), svg


def test_flame_svg_is_xml_with_a_box_per_call(py, tmp_path):
    t, svg = flame_of(py, tmp_path)
    root = ET.parse(svg).getroot()
    boxes = [g for g in root.iter(SVG + "g") if g.get("class") == "c"]
    assert len(boxes) == t["call_count"]
    run = [g for g in boxes if g.get("data-n") == "__main__.run"]
    assert len(run) == 1 and "(n=12)" in run[0].find(SVG + "title").text
    colours = {g.get("data-n").rsplit(".", 1)[0]: g.get("data-f") for g in boxes}
    by_module = {}
    for g in boxes:
        by_module.setdefault(g.get("data-n").split(".")[0], set()).add(g.get("data-f"))
    assert len(by_module["__main__"]) == 1, "one colour per module"
    assert root.find(SVG + "script") is not None
    assert not any(e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter())
    del colours


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(tmp_path, *args):
    profile = tmp_path / "chromium-profile"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, "--user-data-dir=%s" % profile, *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium)")
def test_flame_renders_in_chromium(tmp_path):
    path = PYTHONS.get("debian-3.11") or next(iter(PYTHONS.values()))
    from conftest import Python
    _t, svg = flame_of(Python("debian-3.11" if "debian-3.11" in PYTHONS else "3.11", path), tmp_path)
    shot = tmp_path / "shot.png"
    r = chromium(tmp_path, "--window-size=1200,500", "--screenshot=%s" % shot, svg.as_uri())
    assert shot.exists(), r.stderr
    shutil.copy(shot, pathlib.Path(os.environ.get("TPH_SCREENSHOT_DIR", tmp_path)) / "flame-test.png")
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 500)
    background = rows[5][600]
    warm = sum(1 for row in rows for (r_, g, b) in row[::4] if r_ > 180 and b < 150 and r_ > g)
    assert background[0] > 240 and background[1] > 240, "page background drawn"
    assert warm > 2000, "flame boxes drawn (%d warm pixels sampled)" % warm
    dom = chromium(tmp_path, "--dump-dom", svg.as_uri() + "#search=leaf").stdout
    assert 'data-ready="1"' in dom, "the script ran"
    assert "__main__.run" in dom and "Matched: " in dom and "rgb(230,0,230)" in dom
    zoomed = chromium(tmp_path, "--dump-dom", svg.as_uri() + "#zoom=0,0.001").stdout
    assert 'data-zoom="0,0.001"' in zoomed and 'style="display: none;"' in zoomed


def test_install_into_a_prefix_and_use_it(tmp_path):
    dest = tmp_path / "dest"
    r = subprocess.run(["meson", "install", "-C", str(BUILD), "--no-rebuild", "--destdir", str(dest)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    [tph_bin] = list(dest.rglob("bin/tph"))
    [lib] = list(dest.rglob("tracepatch/libtracepatch.so"))
    assert list(lib.parent.glob("libtracepatch-core-cp3*.so"))
    if shutil.which("scdoc"):
        assert list(dest.rglob("man1/tph.1")) and list(dest.rglob("man7/libtracepatch.7"))
    assert list(dest.rglob("bash-completion/completions/tph"))
    work = tmp_path / "work"
    work.mkdir()
    prog = work / "p.py"
    prog.write_text("def f():\n    return 42\n\nf()\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACEPATCH_") and k != "LD_PRELOAD"}
    r = tph("run", "--autostart", "--", "/usr/bin/python3", prog, cwd=work, env=env, tph_path=tph_bin)
    assert r.returncode == 0, r.stderr
    t = only_trace(work)
    assert any(n["qualname"] == "f" for n, _d, _p in walk(t["trace"]))
    shutil.rmtree(cache(work))
    direct = subprocess.run(["/usr/bin/python3", str(prog)], cwd=work, capture_output=True, text=True,
                            env=dict(env, LD_PRELOAD=str(lib), TRACEPATCH_AUTOSTART="1"))
    assert direct.returncode == 0, direct.stderr
    [path] = cache(work).glob("trace_*.json")
    assert "__main__.f() -> 42" in tph("tree", path, cwd=work, tph_path=tph_bin, check=0).stdout
