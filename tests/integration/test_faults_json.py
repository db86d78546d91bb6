"""Fault matrix: text that is not clean UTF-8 reaches the writer (issue 5):
a program path, working directory and argv with undecodable bytes, lone
surrogates, NUL and U+2028 in values. The file must still be strict JSON in
UTF-8 and the app unchanged."""
import os
import subprocess

import pytest

from conftest import walk
from test_faults_common import check_cache

SOURCE = b"""import sys
def f(s, b, *a):
    return s
f('\\ud800 lone', b'\\xff', sys.argv[1], '\\x00nul\\u2028', '\\U0001F600')
print('ok')
"""


def run_in_bad_dir(py, tmp_path, preload):
    d = os.path.join(os.fsencode(tmp_path), b"dir\xff\xfe\x01")
    os.makedirs(d, exist_ok=True)
    prog = d + b"/m\xffod.py"
    with open(prog, "wb") as f:
        f.write(SOURCE)
    env = py.env(preload, autostart=1)
    r = subprocess.run([py.path.encode(), prog, b"arg\xff\x80"], cwd=d, env=env,
                       capture_output=True, timeout=60)
    return d, r


def traced(py, tmp_path):
    _d0, plain = run_in_bad_dir(py, tmp_path / "plain", False)
    d, r = run_in_bad_dir(py, tmp_path / "traced", True)
    assert (r.returncode, r.stdout) == (plain.returncode, plain.stdout) == (0, b"ok\n")
    [t] = check_cache(os.path.join(d, b".tracepatch_cache").decode("utf-8", "surrogateescape"))
    return t


def test_undecodable_paths_and_values_give_strict_json(py, tmp_path):
    t = traced(py, tmp_path)
    assert t["argv"][2].startswith("arg")
    assert "dir" in t["working_directory"]
    [f] = [n for n, _d, _p in walk(t["trace"]) if n["name"] == "f"]
    assert f["args"].startswith("s='\\ud800 lone', b=b'\\xff', *a=('arg\\udcff\\udc80', ")
    assert f["return_value"] == "'\\ud800 lone'"


def test_undecodable_file_name_is_kept(py, tmp_path, request):
    t = traced(py, tmp_path)
    [f] = [n for n, _d, _p in walk(t["trace"]) if n["name"] == "f"]
    assert f["file"].startswith(str(tmp_path)) and f["file"].endswith("od.py"), f["file"]
