"""Timestamps come from the CPU's counter where the kernel keeps time with
it (core/clock.c) and are converted when the trace is written: starts,
ends and durations must agree with the program's own clock either way."""
import pytest

from conftest import find, only_trace

NAPS = (0.02, 0.05, 0.03)


@pytest.mark.parametrize("clock", ["default", "monotonic"])
def test_times_agree_with_the_program(py, tmp_path, clock):
    settings = {"autostart": 1, "debug": 1}
    if clock == "monotonic":
        settings["clock"] = "monotonic"
    r = py.run(tmp_path, "clock_check.py", **settings)
    assert r.returncode == 0, r.stderr
    chosen = [l for l in r.stderr.splitlines() if "clock: " in l]
    assert len(chosen) == 1, r.stderr
    if clock == "monotonic":
        assert "clock: monotonic (TRACEPATCH_CLOCK)" in chosen[0]
    else:
        assert chosen[0].endswith(("clock: tsc", "clock: monotonic")), chosen
    marks = [float(m) for m in r.stdout.split()]
    naps = sorted(find(only_trace(tmp_path), "nap"), key=lambda n: n["start"])
    assert [n["args"] for n in naps] == ["seconds=%r" % s for s in NAPS]
    for nap, mark, seconds in zip(naps, marks, NAPS):
        assert abs(nap["start"] - mark) < 0.005, (nap["start"], mark)
        assert seconds * 1000 <= nap["elapsed_ms"] < seconds * 1000 + 40, nap
        assert abs((nap["end"] - nap["start"]) * 1000 - nap["elapsed_ms"]) < 0.01, nap
    for earlier, later in zip(naps, naps[1:]):
        assert later["start"] >= earlier["end"]


def test_an_unknown_clock_is_named_and_ignored(py, tmp_path):
    r = py.run(tmp_path, "clock_check.py", autostart=1, clock="sundial")
    assert r.returncode == 0, r.stderr
    assert 'TRACEPATCH_CLOCK: expected "monotonic" or nothing, got "sundial"' in r.stderr
    assert len(find(only_trace(tmp_path), "nap")) == 3
