"""What one window of a known program records, field by field."""
import os
import re
import stat
import subprocess

from conftest import TPH, cache, find, one, only_trace, walk

TOP_KEYS = ["tracepatch_version", "schema_version", "trace_id", "timestamp", "label", "pid",
            "argv", "hostname", "platform", "python_version", "working_directory", "trigger",
            "end_reason", "duration_ms", "call_count", "was_limited", "limit_reason",
            "dropped_calls", "config", "stats", "threads", "trace"]


def run_basic(py, tmp_path, **settings):
    settings.setdefault("autostart", 1)
    r = py.run(tmp_path, "basic.py", **settings)
    assert r.returncode == 0, r.stderr
    return r, only_trace(tmp_path)


def test_header_fields(py, tmp_path):
    r, t = run_basic(py, tmp_path)
    assert list(t.keys()) == TOP_KEYS
    assert t["schema_version"] == 1
    assert re.fullmatch(r"[0-9a-f]{8}", t["trace_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", t["timestamp"])
    assert t["label"] is None
    assert t["argv"][1].endswith("basic.py")
    assert t["platform"] == "linux"
    assert t["python_version"].startswith("%d.%d." % py.version)
    assert t["working_directory"] == str(tmp_path)
    assert t["trigger"] == "startup" and t["end_reason"] == "exit"
    assert t["was_limited"] is False and t["limit_reason"] is None and t["dropped_calls"] == 0
    assert t["call_count"] == sum(1 for _ in walk(t["trace"]))
    assert t["duration_ms"] > 0
    cfg = t["config"]
    assert (cfg["max_depth"], cfg["max_calls"], cfg["max_repr"]) == (30, 10000, 120)
    assert "threading" in cfg["ignore_modules"]
    assert t["stats"]["unique_functions"] >= 10
    assert t["stats"]["max_depth_reached"] >= 3
    assert t["stats"]["slowest_call_name"] == "<module>"
    [thread] = t["threads"]
    assert thread["name"] == "MainThread" and thread["call_count"] == t["call_count"]
    assert thread["native_id"] == t["pid"]
    assert "window opened (startup)" in r.stderr
    assert re.search(r"%d calls -> \.tracepatch_cache/trace_\d{8}_\d{6}_\d{6}_%d\.json"
                     % (t["call_count"], t["pid"]), r.stderr)


def test_node_fields(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    add = one(t, "add")
    assert add["name"] == "add" and add["module"] == "__main__"
    source = open(add["file"]).read().splitlines()
    assert source[add["lineno"] - 1].startswith("def add(")
    assert add["kind"] == "function"
    assert add["args"] == "a=1, b=5, *rest=(6,), key='k', **extra={'z': 1}"
    assert add["return_value"] == "6" and add["exception"] is None
    assert add["end"] >= add["start"]
    assert abs(add["elapsed_ms"] - (add["end"] - add["start"]) * 1000) < 0.01
    assert "children" not in add
    root = t["trace"][0]
    assert root["qualname"] == "<module>" and root["thread"] == t["threads"][0]["id"]
    main = one(t, "main")
    assert [c["qualname"] for c in main["children"]][:3] == ["add", "catches", "propagates"]


def test_methods_have_qualified_names(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    make = one(t, "Shape.make")
    assert make["args"] == "cls=<class '__main__.Square'>, name='sq'"
    assert [c["qualname"] for c in make["children"]] == ["Shape.__init__"]
    area = one(t, "Square.area")
    assert area["args"].startswith("self=<__main__.Square object at 0x")
    assert area["return_value"] == "8"
    assert one(t, "Shape.kinds")["return_value"] == "['square']"
    # named as Python names it (__qualname__), though a class holds it too
    assert one(t, "perimeter")["return_value"] == "12"


def test_exceptions_only_on_frames_they_left(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    catches = one(t, "catches")
    assert catches["return_value"] == "'caught'" and catches["exception"] is None
    [inner] = catches["children"]
    assert inner["exception"] == "ValueError: bad value 1" and inner["return_value"] is None
    prop = one(t, "propagates")
    assert prop["exception"] == "ValueError: bad value 2" and prop["return_value"] is None
    assert prop["children"][0]["exception"] == "ValueError: bad value 2"


def test_generator_is_one_node(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    gen = one(t, "counter")
    assert gen["kind"] == "generator"
    assert gen["resumes"] == 3 and gen["suspended_ms"] >= 0
    assert gen["args"] == "n=3" and gen["return_value"] == "None"


def test_redaction_by_parameter_name(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    assert one(t, "login")["args"] == "user='ann', password='<redacted>'"


def test_output_and_exit_status_unchanged(py, tmp_path):
    plain = py.run(tmp_path, "basic.py", preload=False)
    traced = py.run(tmp_path, "basic.py", autostart=1)
    assert traced.stdout == plain.stdout == "total 3\n"
    assert traced.returncode == plain.returncode == 0


def test_files_are_private_and_atomic(py, tmp_path):
    run_basic(py, tmp_path)
    d = cache(tmp_path)
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    names = sorted(os.listdir(d))
    assert names[:2] == [".gitignore", "README"] and len(names) == 3
    assert (d / ".gitignore").read_text() == "*\n"
    assert stat.S_IMODE(os.stat(d / names[2]).st_mode) == 0o600
    # The README's commands work as written, from the app's directory.
    commands = [line.strip().split("  ")[0].split() for line in (d / "README").read_text().splitlines()
                if line.startswith("    tph ")]
    assert [c[1] for c in commands] == ["logs", "tree", "clean"]
    for c in commands:
        args = [str(d / names[2]) if a == "FILE" else a for a in c[1:]]
        r = subprocess.run([str(TPH), *args], cwd=tmp_path, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0, (c, r.stderr)


def test_label_in_name_and_header(py, tmp_path):
    _r, t = run_basic(py, tmp_path, default_label="nightly run/1")
    assert t["label"] == "nightly run/1"
    [name] = [n for n in os.listdir(cache(tmp_path)) if n.startswith("trace_")]
    assert re.fullmatch(r"trace_\d{8}_\d{6}_\d{6}_nightly_run_1_\d+\.json", name)


def test_no_window_no_file(py, tmp_path):
    r = py.run(tmp_path, "basic.py")
    assert r.returncode == 0 and r.stderr == ""
    assert not cache(tmp_path).exists()


def test_our_frames_never_appear(py, tmp_path):
    _r, t = run_basic(py, tmp_path)
    modules = {n["module"] for n, _d, _p in walk(t["trace"])}
    assert not any(m.startswith(("threading", "importlib", "_frozen_importlib")) for m in modules)
    assert not find(t, "_tracepatch_signal", None)


def test_written_line_gives_the_place_after_a_chdir(py, tmp_path):
    """A relative cache_dir is taken from the directory the window starts in;
    once the process has left the one it started in (a daemon's chdir),
    the line on stderr gives the file's full path."""
    moved = tmp_path / "moved"
    moved.mkdir()
    prog = tmp_path / "chdir.py"
    prog.write_text("import os, signal, sys\n"
                    "def work(x):\n    return x + 1\n"
                    "if sys.argv[1] == 'move':\n    os.chdir(%r)\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n"
                    "work(1)\n"
                    "os.kill(os.getpid(), signal.SIGUSR1)\n" % str(moved))
    line = r"tracepatch\[\d+\]: 1 calls -> (\S+/trace_\S+\.json)\n"
    r = py.run(tmp_path, str(prog), "move")
    [shown] = re.findall(line, r.stderr)
    assert shown.startswith(str(moved / ".tracepatch_cache") + "/"), r.stderr
    assert os.path.isfile(shown) and not cache(tmp_path).exists()
    r = py.run(tmp_path, str(prog), "stay")
    [shown] = re.findall(line, r.stderr)
    assert shown.startswith(".tracepatch_cache/") and (tmp_path / shown).is_file(), r.stderr
    r = py.run(tmp_path, str(prog), "move", cache_dir=str(tmp_path / "abs"))
    [shown] = re.findall(line, r.stderr)
    assert shown.startswith(str(tmp_path / "abs") + "/") and os.path.isfile(shown), r.stderr
