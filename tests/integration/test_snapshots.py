"""snapshot_seconds: a long window can be read before it closes."""
import json
import re
import subprocess
import time

from conftest import PROGRAMS, cache, find

# floats and plain objects are printed by the writer (deferred values): a
# snapshot prints them from its own copy of the window's prefix store
TICK_ARGS = re.compile(r"i=\d+, o=<__main__\.P object at 0x[0-9a-f]+>, f=\d+\.5")


def assert_ticks_printed(trace):
    ticks = find(trace, "tick")
    assert ticks
    for t in ticks:
        assert TICK_ARGS.fullmatch(t["args"]), t["args"]
        if t["return_value"] is not None:   # the last one may still run
            assert t["return_value"] == t["args"].split("o=")[1].split(", f=")[0]


def test_snapshots_are_valid_at_every_moment(py, tmp_path):
    prog = tmp_path / "long.py"
    prog.write_text("import time\n"
                    "class P:\n    pass\n"
                    "p = P()\n"
                    "hasattr(p, 'x')\n"   # a lookup gives P a type version: p is deferred
                    "def tick(i, o, f):\n    return o\n"
                    "end = time.monotonic() + 1.5\n"
                    "i = 0\n"
                    "while time.monotonic() < end:\n"
                    "    tick(i, p, i + 0.5)\n    i += 1\n    time.sleep(0.001)\n"
                    "print('done')\n")
    proc = subprocess.Popen([py.path, str(prog)], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=py.env(autostart=1, snapshot_seconds=0.2, max_calls=100000))
    partial_reads, counts = 0, []
    while proc.poll() is None:
        for path in cache(tmp_path).glob("trace_*.json") if cache(tmp_path).exists() else []:
            try:
                text = path.read_text()
            except FileNotFoundError:
                continue
            t = json.loads(text)          # never half a file
            if t.get("partial"):
                partial_reads += 1
                counts.append(t["call_count"])
                assert t["end_reason"] is None
                assert list(t).index("partial") < list(t).index("trace")
                assert_ticks_printed(t)
        time.sleep(0.005)
    out, err = proc.communicate()
    assert proc.returncode == 0 and out == "done\n", err
    assert partial_reads >= 3
    assert counts == sorted(counts) and counts[-1] > counts[0]
    [path] = cache(tmp_path).glob("trace_*.json")
    final = json.loads(path.read_text())
    assert "partial" not in final and final["end_reason"] == "exit"
    assert_ticks_printed(final)
    assert final["call_count"] >= counts[-1]
    assert not list(cache(tmp_path).glob(".*.tmp"))
