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
