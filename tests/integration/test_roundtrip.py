"""A trace written by the core under a real Python renders with tph."""
import subprocess

from conftest import TPH, cache, only_trace


def test_tph_tree_of_a_real_trace(py, tmp_path):
    r = py.run(tmp_path, "basic.py", autostart=1)
    assert r.returncode == 0
    only_trace(tmp_path)
    [path] = cache(tmp_path).glob("trace_*.json")
    out = subprocess.run([str(TPH), "tree", "--no-pager", "--color", "never", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Trace: " + path.name
    assert any("__main__.add(a=1, b=5, *rest=(6,), key='k', **extra={'z': 1}) -> 6  [" in l
               for l in lines)
    assert any("__main__.propagates() !! ValueError: bad value 2  [" in l for l in lines)
    logs = subprocess.run([str(TPH), "logs", "--cache-dir", str(cache(tmp_path))],
                          capture_output=True, text=True)
    assert logs.returncode == 0 and path.name in logs.stdout
    stats = subprocess.run([str(TPH), "stats", str(path)], capture_output=True, text=True)
    assert stats.returncode == 0 and "add" in stats.stdout


def test_config_file_in_working_directory(py, tmp_path):
    (tmp_path / "tracepatch.toml").write_text(
        'autostart = true\nmax_repr = 10\ndefault_label = "from-file"\n'
        'ignore_modules = [\n  "threading",\n]\nmax_depth = "abc"\n')
    r = py.run(tmp_path, "basic.py")
    assert r.returncode == 0 and r.stdout == "total 3\n"
    t = only_trace(tmp_path)
    assert t["label"] == "from-file" and t["config"]["max_repr"] == 10
    assert t["config"]["max_depth"] == 30
    assert "tracepatch.toml:7: max_depth: expected a positive integer" in r.stderr
    assert t["config"]["ignore_modules"] == ["threading"]


def test_threads_that_reuse_an_ident_stay_apart(py, tmp_path):
    # Each thread has ended before the next starts, so the system hands the
    # next one the same ident (glibc reuses the stack, and the ident is its
    # address; the pause lets the ended thread finish leaving). Roots carry
    # the kernel tid too, and tph groups by both.
    prog = tmp_path / "serial.py"
    prog.write_text("import threading, time\n"
                    "def handle(n):\n    return n * 2\n"
                    "for i in range(4):\n"
                    "    t = threading.Thread(target=handle, args=(i,), name='req-%d' % i)\n"
                    "    t.start()\n    t.join()\n    time.sleep(0.02)\n")
    r = py.run(tmp_path, str(prog), autostart=1)
    assert r.returncode == 0, r.stderr
    t = only_trace(tmp_path)
    roots = [n for n in t["trace"] if n["qualname"] == "handle"]
    assert len(roots) == 4
    entries = {(th["id"], th["native_id"]): th["name"] for th in t["threads"]}
    for n, root in enumerate(roots):
        assert entries[(root["thread"], root["native_thread_id"])] == "req-%d" % n
    assert len({root["native_thread_id"] for root in roots}) == 4
    assert len({root["thread"] for root in roots}) < 4, "no ident was reused: nothing tested"
    [path] = cache(tmp_path).glob("trace_*.json")
    out = subprocess.run([str(TPH), "tree", "--no-pager", "--color", "never", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    for n, root in enumerate(roots):
        head = "Thread req-%d (id %d, tid %d)" % (n, root["thread"], root["native_thread_id"])
        at = out.stdout.index(head + "\n")
        assert out.stdout[at:].splitlines()[1].startswith("└── __main__.handle(n=%d) -> %d  [" % (n, 2 * n))
    stats = subprocess.run([str(TPH), "stats", str(path)], capture_output=True, text=True)
    assert stats.returncode == 0, stats.stderr
    rows = [l for l in stats.stdout.splitlines() if "(process" not in l and "req-" in l]
    assert len(rows) == 4, stats.stdout
