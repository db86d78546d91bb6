"""A C program that embeds CPython is traced like python itself."""
import subprocess

import pytest

from conftest import find, only_trace

EMBED_C = __import__("pathlib").Path(__file__).parent / "embed" / "embed.c"


def build_embedder(py, out):
    q = ("import sysconfig as s; v = s.get_config_var; "
         "print(s.get_paths()['include']); print(v('LIBDIR')); print(v('LDVERSION'))")
    inc, libdir, ldver = subprocess.run([py.path, "-c", q], capture_output=True, text=True,
                                        check=True).stdout.split()
    cmd = ["cc", "-o", str(out), str(EMBED_C), "-I" + inc, "-L" + libdir, "-lpython" + ldver,
           "-Wl,-rpath," + libdir]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("cannot link against libpython %s here: %s" % (py.key, r.stderr[-200:]))
    return out


def test_embedded_interpreter_is_traced(py, tmp_path):
    exe = build_embedder(py, tmp_path / "embedder")
    env = py.env(autostart=1)
    r = subprocess.run([str(exe)], cwd=tmp_path, capture_output=True, text=True, env=env,
                       timeout=60)
    plain = subprocess.run([str(exe)], cwd=tmp_path, capture_output=True, text=True,
                           env=py.env(preload=False), timeout=60)
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout) == (0, "42\n")
    t = only_trace(tmp_path)
    [twice] = find(t, "twice")
    assert twice["args"] == "x=21" and twice["return_value"] == "42"
    assert t["end_reason"] == "exit"
