"""snapshot_seconds: a long window can be read before it closes."""
import json
import subprocess
import time

from conftest import PROGRAMS, cache


def test_snapshots_are_valid_at_every_moment(py, tmp_path):
    prog = tmp_path / "long.py"
    prog.write_text("import time\n"
                    "def tick(i):\n    return i\n"
                    "end = time.monotonic() + 1.5\n"
                    "i = 0\n"
                    "while time.monotonic() < end:\n    tick(i)\n    i += 1\n    time.sleep(0.001)\n"
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
        time.sleep(0.005)
    out, err = proc.communicate()
    assert proc.returncode == 0 and out == "done\n", err
    assert partial_reads >= 3
    assert counts == sorted(counts) and counts[-1] > counts[0]
    [path] = cache(tmp_path).glob("trace_*.json")
    final = json.loads(path.read_text())
    assert "partial" not in final and final["end_reason"] == "exit"
    assert final["call_count"] >= counts[-1]
    assert not list(cache(tmp_path).glob(".*.tmp"))
