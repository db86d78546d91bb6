"""Fault matrix: malformed configuration (issue 5). Each problem is one
line on stderr, the key keeps its default, and the app goes on exactly as
without us; the trace records the defaults that were used."""
import os
import random
import subprocess

import pytest

from conftest import TPH, cache
from test_faults_common import check_cache, our_lines, plain_and_traced

WORK = "fault_work.py"
DEFAULTS = {"max_depth": 30, "max_calls": 10000, "max_repr": 120, "max_seconds": 60,
            "max_memory_mb": 256, "repr": "full"}

# name -> (file text or bytes, how many lines we expect, a word each names)
CASES = {
    "string_for_int": ('max_depth = "abc"\n', ["max_depth"]),
    "float_for_int": ("max_repr = 2.5\n", ["max_repr"]),
    "negative": ("max_seconds = -1\n", ["max_seconds"]),
    "zero": ("max_calls = 0\n", ["max_calls"]),
    "int_overflow": ("max_calls = 99999999999999999999999999\n", ["max_calls"]),
    "bool_as_int": ("quiet = 3\n", ["quiet"]),
    "string_for_array": ('ignore_modules = "json"\n', ["ignore_modules"]),
    "array_of_ints": ("redact = [1, 2]\n", ["redact"]),
    "nested_array": ('redact = [["a"]]\n', ["redact"]),
    "inline_table": ("max_depth = { a = 1 }\n", ["max_depth"]),
    "bad_enum": ('repr = "fancy"\n', ["repr"]),
    "bad_signal": ('signal = "KILL"\n', ["signal"]),
    "unknown_key": ('colour = "red"\n', ["colour"]),
    "unterminated_array": ('ignore_modules = ["a", "b"\nmax_depth = 5\n', ["ignore_modules"]),
    "unterminated_string": ('default_label = "abc\n', ["default_label"]),
    "multiline_string": ('default_label = """abc\n"""\n', ["default_label"]),
    "missing_equals": ("max_depth 5\n", ["max_depth"]),
    "text_after_value": ("max_depth = 5 6\n", ["max_depth"]),
    "empty_value": ("max_depth =\n", ["max_depth"]),
    "duplicate_key": ("max_repr = 7\nmax_repr = 9\n", ["max_repr"]),
    "nul_byte": (b"max_depth = 5\x00\n", ["tracepatch.toml"]),
    "invalid_utf8": (b'default_label = "\xff\xfe"\n', ["tracepatch.toml"]),
    "binary_garbage": (None, ["tracepatch.toml"]),
    "ten_megabytes": (None, ["tracepatch.toml"]),
}


def write_case(path, name):
    text = CASES[name][0]
    if name == "binary_garbage":
        text = bytes(random.Random(5).getrandbits(8) for _ in range(4096))
    elif name == "ten_megabytes":
        text = ("# padding\n" * (1024 * 1024)).encode()
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_config(py, tmp_path, case):
    write_case(tmp_path / "tracepatch.toml", case)
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1)
    lines = [l for l in our_lines(r.stderr)
             if "window opened" not in l and " calls -> " not in l]
    words = CASES[case][1]
    assert len(lines) == len(words), r.stderr
    for line, word in zip(lines, words):
        assert "tracepatch.toml" in line and word in line, line
    [t] = check_cache(cache(tmp_path))
    cfg = t["config"]
    expected = dict(DEFAULTS)
    if case == "duplicate_key":
        expected["max_repr"] = 9
    if case == "unterminated_array":
        expected["max_depth"] = 5       # reading resumes at the next statement
    for k, v in expected.items():
        assert cfg[k] == v, (k, cfg[k])


def test_config_is_a_directory(py, tmp_path):
    (tmp_path / "tracepatch.toml").mkdir()
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1)
    assert len(our_lines(r.stderr)) == 3, r.stderr
    assert check_cache(cache(tmp_path))


def test_config_is_a_fifo(py, tmp_path):
    os.mkfifo(tmp_path / "cfg.toml")
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, timeout=20,
                             config=str(tmp_path / "cfg.toml"))
    assert len(our_lines(r.stderr)) == 3, r.stderr


def test_config_named_but_missing(py, tmp_path):
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, config=str(tmp_path / "nope"))
    assert len(our_lines(r.stderr)) == 3, r.stderr
    [t] = check_cache(cache(tmp_path))
    assert t["config"]["max_depth"] == 30


def test_config_unreadable(py, tmp_path):
    cfg = tmp_path / "tracepatch.toml"
    cfg.write_text("max_depth = 5\n")
    os.chmod(cfg, 0)
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1)
    assert len(our_lines(r.stderr)) == 3, r.stderr


@pytest.mark.parametrize("key,value", [("max_depth", "abc"), ("quiet", "maybe"),
                                       ("max_seconds", "nan"), ("max_seconds", "inf"),
                                       ("max_repr", "-5"), ("signal", "SIGSEGV"),
                                       ("repr", "\x01")])
def test_malformed_environment(py, tmp_path, key, value):
    _p, r = plain_and_traced(py, tmp_path, WORK, autostart=1, **{key: value})
    lines = [l for l in our_lines(r.stderr)
             if "window opened" not in l and " calls -> " not in l]
    assert len(lines) == 1 and "TRACEPATCH_" + key.upper() in lines[0], r.stderr
    [t] = check_cache(cache(tmp_path))
    for k, v in DEFAULTS.items():
        assert t["config"][k] == v


def test_tph_config_exit_status_says_whether_there_were_problems(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACEPATCH_")}
    (tmp_path / "tracepatch.toml").write_text("max_calls = 5\n")
    good = subprocess.run([str(TPH), "config"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (good.returncode, good.stderr) == (0, "")
    (tmp_path / "tracepatch.toml").write_text("max_calls = -5\nmax_depth = 7\n")
    bad = subprocess.run([str(TPH), "config"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "tracepatch.toml:1: max_calls" in bad.stderr
    assert "max_depth = 7" in bad.stdout   # printed all the same
    missing = subprocess.run([str(TPH), "config", "--file", str(tmp_path / "nope.toml")],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and "nope.toml" in missing.stderr
