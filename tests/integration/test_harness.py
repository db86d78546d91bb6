"""tph setup / tph disable: the test harness, in temporary git repositories.

The round trip (setup, run, disable) must leave `git status` exactly as it
was; the staged-changes question is answered through a pseudo-terminal
(`script`); missing files and functions are reported with what is there.
"""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import PYTHONS, TPH, cache, walk

RUNNER = "_tracepatch_filetotest.py"

CALC = '''\
def add(a, b=2):
    return a + b


def mean(items):
    return sum(items) / len(items)


def boom(name):
    raise ValueError("bad " + name)


class Box:
    def size(self):
        return 1
'''

CONFIG = '''\
[[test.files]]
path = "calc.py"
functions = ["add", "mean", "boom"]

[[test.inputs]]
function = "add"
args = [1]
kwargs = {b = 40}

[[test.inputs]]
function = "calc.py:add"
args = ["x", "y"]
'''


def any_python():
    for key in ("3.12", "3.11", "debian-3.11", "3.13", "3.10", "3.9", "3.8"):
        if key in PYTHONS:
            return PYTHONS[key]
    pytest.skip("no Python found")


def env_for(python, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TRACEPATCH_") and k not in ("LD_PRELOAD", "PYTHONPATH")}
    env["TRACEPATCH_PYTHON"] = python
    env.update(extra)
    return env


def tph(*args, cwd, python=None, check=None, stdin=None, env=None, **kw):
    r = subprocess.run([str(TPH), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                       timeout=120, env=env or env_for(python or any_python()),
                       stdin=subprocess.DEVNULL if stdin is None else stdin, **kw)
    if check is not None:
        assert r.returncode == check, (r.returncode, r.stdout, r.stderr)
    return r


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                          cwd=repo, capture_output=True, text=True, check=True).stdout


def make_repo(path, files):
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    for name, text in files.items():
        f = path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    git(path, "add", ".")
    git(path, "commit", "-qm", "start")
    return path


def status(repo):
    """What git shows; the traces tph run leaves are in the cache directory,
    which its .gitignore hides (the traces are kept on purpose)."""
    return git(repo, "status", "--porcelain", "--untracked-files=all")


def test_round_trip_leaves_git_status_as_before(py, tmp_path):
    repo = make_repo(tmp_path / "repo", {"calc.py": CALC, "tracepatch.toml": CONFIG})
    (repo / "notes.txt").write_text("untracked, not ours\n")
    before = status(repo)
    env = env_for(py.path)
    r = tph("setup", "--yes", cwd=repo, env=env, check=0)
    assert "wrote %s: 3 functions from 1 file" % RUNNER in r.stdout
    runner = (repo / RUNNER).read_text()
    assert "_m1.add(1, b=40)" in runner and '_m1.add("x", "y")' in runner
    assert "_m1.mean(items=[1, 2, 3])  # guessed" in runner
    state = (cache(repo) / "setup-state").read_text()
    assert "file %s/%s" % (repo, RUNNER) in state and "dir %s" % cache(repo) in state

    run = subprocess.run([str(TPH), "run", "--autostart", "--", py.path, RUNNER], cwd=repo,
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 1, run.stderr     # boom raised
    assert run.stdout.splitlines() == [
        "✓ add returned: 41", "✓ add returned: 'xy'", "✓ mean returned: 2.0",
        "✗ boom raised: ValueError: bad example"]
    traces = sorted(cache(repo).glob("trace_*.json"))
    assert len(traces) == 1
    nodes = [n for n, _d, _p in walk(json.loads(traces[0].read_text())["trace"])]
    adds = [n for n in nodes if n["module"] == "calc" and n["qualname"] == "add"]
    assert len(adds) == 2
    booms = [n for n in nodes if n["qualname"] == "boom"]
    assert len(booms) == 1 and "ValueError" in json.dumps(booms[0])
    assert not list(repo.rglob("__pycache__"))

    r = tph("disable", cwd=repo, env=env, check=0)
    assert "removed %s" % RUNNER in r.stdout
    assert "removed .tracepatch_cache/setup-state" in r.stdout
    assert "kept .tracepatch_cache" in r.stdout
    assert status(repo) == before
    assert traces[0].exists()
    r = tph("disable", cwd=repo, env=env, check=1)
    assert "nothing to remove" in r.stderr


def test_setup_run_prints_the_tree(py, tmp_path):
    repo = make_repo(tmp_path / "repo", {"calc.py": CALC, "tracepatch.toml": CONFIG})
    before = status(repo)
    r = tph("setup", "--run", cwd=repo, env=env_for(py.path), check=1)
    assert "✓ mean returned: 2.0" in r.stdout
    assert "calc.add(a=1, b=40) -> 41" in r.stdout
    assert "calc.boom(name='example') !! ValueError: bad example" in r.stdout
    tph("disable", cwd=repo, env=env_for(py.path), check=0)
    assert status(repo) == before


def test_cache_dir_without_traces_is_removed(tmp_path):
    repo = make_repo(tmp_path / "repo", {"calc.py": CALC, "tracepatch.toml": CONFIG})
    before = status(repo)
    tph("setup", cwd=repo, check=0)
    assert (cache(repo) / ".gitignore").read_text() == "*\n"
    r = tph("disable", cwd=repo, check=0)
    assert "removed .tracepatch_cache/.gitignore" in r.stdout
    assert "removed .tracepatch_cache/" in r.stdout
    assert not cache(repo).exists()
    assert status(repo) == before


def test_existing_cache_dir_and_traces_are_not_touched(tmp_path):
    repo = make_repo(tmp_path / "repo", {"calc.py": CALC, "tracepatch.toml": CONFIG})
    cache(repo).mkdir()
    (cache(repo) / "trace_old.json").write_text("{}")
    tph("setup", cwd=repo, check=0)
    assert "dir " not in (cache(repo) / "setup-state").read_text()
    tph("disable", cwd=repo, check=0)
    assert sorted(p.name for p in cache(repo).iterdir()) == ["trace_old.json"]


def in_terminal(cmd, cwd, answer, env):
    """Runs cmd under `script` (a pseudo-terminal) with `answer` typed."""
    line = " ".join("'%s'" % str(c) for c in cmd)
    return subprocess.run(["script", "-qec", line, "/dev/null"], cwd=cwd, input=answer,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.skipif(shutil.which("script") is None, reason="script (util-linux) is missing")
def test_staged_changes_prompt_no_and_yes(tmp_path):
    files = {"calc.py": CALC, "tracepatch.toml": CONFIG}
    files.update({"f%d.txt" % i: "x\n" for i in range(7)})
    repo = make_repo(tmp_path / "repo", files)
    for i in range(7):
        (repo / ("f%d.txt" % i)).write_text("changed\n")
    git(repo, "add", ".")
    env = env_for(any_python())
    r = in_terminal([TPH, "setup"], repo, "n\n", env)
    assert r.returncode == 1, r.stdout
    assert "Continue? [y/N]" in r.stdout
    assert "staged changes" in r.stdout and "f0.txt" in r.stdout and "f4.txt" in r.stdout
    assert "f5.txt" not in r.stdout and "... and 2 more" in r.stdout
    assert "nothing was written" in r.stdout
    assert not (repo / RUNNER).exists() and not cache(repo).exists()

    r = in_terminal([TPH, "setup"], repo, "y\n", env)
    assert r.returncode == 0, r.stdout
    assert "Continue? [y/N]" in r.stdout and (repo / RUNNER).exists()
    tph("disable", cwd=repo, check=0)

    # No terminal to ask on: refuse, unless --yes.
    r = tph("setup", cwd=repo, start_new_session=True, check=1)
    assert "no terminal to ask on" in r.stderr and "--yes" in r.stderr
    assert not (repo / RUNNER).exists()
    r = tph("setup", "--yes", cwd=repo, start_new_session=True, check=0)
    assert "f0.txt" in r.stderr


def test_no_git_repository_or_no_git_goes_on(tmp_path):
    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "tracepatch.toml").write_text(CONFIG)
    tph("setup", cwd=tmp_path, start_new_session=True, check=0)
    tph("disable", cwd=tmp_path, check=0)
    env = env_for(any_python(), PATH=str(tmp_path / "empty-bin"))
    env["TRACEPATCH_PYTHON"] = any_python()
    r = tph("setup", cwd=tmp_path, env=env, start_new_session=True, check=0)
    assert (tmp_path / RUNNER).exists(), r.stderr


def test_missing_file_and_functions_show_what_is_there(tmp_path):
    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "tracepatch.toml").write_text(
        '[[test.files]]\npath = "calc.py"\nfunctions = ["add", "mul", "Box.size"]\n\n'
        '[[test.files]]\npath = "gone.py"\nfunctions = ["f"]\n\n'
        '[[test.inputs]]\nfunction = "nope"\n')
    r = tph("setup", cwd=tmp_path, check=1)
    err = r.stderr.splitlines()
    assert 'tph: setup: tracepatch.toml:1: calc.py: no function "mul"' in err
    assert ('tph: setup: tracepatch.toml:1: calc.py: "Box.size" is a method; only '
            'module-level functions can be called') in err
    assert "  functions in calc.py:" in err
    assert "    def add(a, b=2)" in err and "    def mean(items)" in err
    assert "    def Box.size(self)" in err
    assert 'tph: setup: tracepatch.toml:5: test.files.path: no file "gone.py" in %s' % tmp_path in err
    assert ('tph: setup: tracepatch.toml:9: test.inputs.function: "nope" is not among the '
            'functions of [[test.files]]') in err
    assert not (tmp_path / RUNNER).exists() and not cache(tmp_path).exists()

    (tmp_path / "calc.py").write_text("def broken(:\n")
    r = tph("setup", cwd=tmp_path, check=1)
    assert "tph: setup: tracepatch.toml:1: calc.py: cannot be parsed: line 1:" in r.stderr


def test_no_config_or_no_tables_shows_an_example(tmp_path):
    r = tph("setup", cwd=tmp_path, check=1)
    assert "no tracepatch.toml here or above" in r.stderr
    assert "[[test.files]]" in r.stderr and 'functions = ["add", "mean"]' in r.stderr
    (tmp_path / "tracepatch.toml").write_text("max_depth = 5\n")
    r = tph("setup", cwd=tmp_path, check=1)
    assert "tracepatch.toml has no [[test.files]]; add, for example:" in r.stderr
    assert 'path = "calc.py"' in r.stderr
    (tmp_path / "tracepatch.toml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.tracepatch]\nmax_depth = 5\n")
    r = tph("setup", cwd=tmp_path, check=1)
    assert "[[tool.tracepatch.test.files]]" in r.stderr


def test_malformed_tables_are_one_line_and_nothing_is_written(tmp_path):
    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "tracepatch.toml").write_text(
        '[[test.files]]\npath = "calc.py"\nfunctions = ["add"]\n'
        '[[test.inputs]]\nfunction = "add"\nargs = [1, 2\n')
    r = tph("setup", cwd=tmp_path, check=1)
    lines = r.stderr.splitlines()
    assert lines[0] == ("tph: setup: tracepatch.toml:6: test.inputs.args: unterminated array "
                        "(no closing `]`)")
    assert "fix the test tables of tracepatch.toml" in lines[1]
    assert not (tmp_path / RUNNER).exists()


GUESSES = '''\
def many(path, input_file, data_dir, count, n, size, name, text, s, flag, enabled, is_ready,
         items, values, other, typed: int, ratio: "float", opt=7, *rest, kw_only, **extra):
    import os
    return [os.path.isfile(path), os.path.isdir(data_dir), input_file == path, count, n, size,
            name, text, s, flag, enabled, is_ready, items, values, other, typed, ratio, opt,
            kw_only]
'''


def test_defaults_are_guessed_per_parameter_name(py, tmp_path):
    (tmp_path / "guess.py").write_text(GUESSES)
    (tmp_path / "tracepatch.toml").write_text(
        '[[test.files]]\npath = "guess.py"\nfunctions = ["many"]\n')
    tph("setup", cwd=tmp_path, env=env_for(py.path), start_new_session=True, check=0)
    runner = (tmp_path / RUNNER).read_text()
    assert ('_m1.many(path=_FILE, input_file=_FILE, data_dir=_TEMP, count=3, n=3, size=3, '
            'name="example", text="example", s="example", flag=True, enabled=True, '
            'is_ready=True, items=[1, 2, 3], values=[1, 2, 3], other=None, typed=3, '
            'ratio=1.5, kw_only=None)  # guessed') in runner
    r = subprocess.run([py.path, RUNNER], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "✓ many returned: [True, True, True, 3, 3, 3, 'example', 'example', 'example', "
        "True, True, True, [1, 2, 3], [1, 2, 3], None, 3, 1.5, 7, None]")
    assert not list(pathlib.Path("/tmp").glob("tracepatch-harness-*"))
    tph("disable", cwd=tmp_path, check=0)


def test_packages_odd_names_and_async(py, tmp_path):
    files = {"src/pkg/__init__.py": "", "src/pkg/sub/__init__.py": "",
             "src/pkg/sub/mod.py": "from .. import sub\n\ndef double(x: int):\n    return 2 * x\n",
             "my-script.py": "async def fetch(url):\n    return url.upper()\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "tracepatch.toml").write_text(
        '[[test.files]]\npath = "src/pkg/sub/mod.py"\nfunctions = ["double"]\n'
        '[[test.files]]\npath = "my-script.py"\nfunctions = ["fetch"]\n'
        '[[test.inputs]]\nfunction = "fetch"\nargs = ["a\\"b\\u00e9\\n"]\n')
    tph("setup", cwd=tmp_path, env=env_for(py.path), start_new_session=True, check=0)
    runner = (tmp_path / RUNNER).read_text()
    assert 'sys.path.insert(0, _HERE + "/src")' in runner
    assert "import pkg.sub.mod as _m1" in runner
    run = subprocess.run([str(TPH), "run", "--autostart", "--", py.path, RUNNER], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, env=env_for(py.path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == ["✓ double returned: 6", "✓ fetch returned: 'A\"BÉ\\n'"]
    trace = json.loads(next(cache(tmp_path).glob("trace_*.json")).read_text())
    assert any(n["module"] == "pkg.sub.mod" and n["qualname"] == "double"
               for n, _d, _p in walk(trace["trace"]))


def test_disable_keeps_a_runner_that_is_no_longer_ours(tmp_path):
    repo = make_repo(tmp_path / "repo", {"calc.py": CALC, "tracepatch.toml": CONFIG})
    tph("setup", cwd=repo, check=0)
    (repo / RUNNER).write_text("# mine now\n")
    r = tph("disable", cwd=repo, check=1)
    assert "kept %s" % RUNNER in r.stderr
    assert (repo / RUNNER).exists()
    (repo / RUNNER).write_text("print('someone else')\n")
    r = tph("setup", cwd=repo, check=1)
    assert "was not written by tph setup" in r.stderr


def test_python_that_cannot_run_and_usage(tmp_path):
    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "tracepatch.toml").write_text(CONFIG)
    env = env_for(str(tmp_path / "no-such-python"))
    r = tph("setup", cwd=tmp_path, env=env, check=1)
    assert "cannot run %s" % (tmp_path / "no-such-python") in r.stderr
    assert "TRACEPATCH_PYTHON" in r.stderr
    assert tph("setup", "--bogus", cwd=tmp_path, check=2).stderr.startswith("tph setup: ")
    assert tph("disable", "extra", cwd=tmp_path, check=2)
    assert "usage: tph setup [-y|--yes] [--run]" in tph("setup", "--help", cwd=tmp_path, check=0).stdout
