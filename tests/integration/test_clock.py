"""Timestamps come from the CPU's counter where the kernel keeps time with
it, or where TRACEPATCH_CLOCK=tsc asks for it (core/clock.c), and are
converted when the trace is written: starts, ends and durations must agree
with the program's own clock whichever clock stamped them."""
import pytest

from conftest import find, only_trace

NAPS = (0.02, 0.05, 0.03)


def cpu_counter_is_invariant():
    """What Linux shows for CPUID's invariant-TSC bit (core/clock.c asks
    the CPU itself)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
    except OSError:
        return False
    return "constant_tsc" in flags and "nonstop_tsc" in flags


@pytest.mark.parametrize("clock", ["default", "monotonic", "tsc"])
def test_times_agree_with_the_program(py, tmp_path, clock):
    settings = {"autostart": 1, "debug": 1}
    if clock != "default":
        settings["clock"] = clock
    r = py.run(tmp_path, "clock_check.py", **settings)
    assert r.returncode == 0, r.stderr
    chosen = [l for l in r.stderr.splitlines() if "clock: " in l]
    assert len(chosen) == 1, r.stderr
    if clock == "monotonic":
        assert "clock: monotonic (TRACEPATCH_CLOCK)" in chosen[0]
    elif clock == "tsc":
        # Asked for, the counter is used wherever the CPU keeps it invariant.
        assert chosen[0].endswith("clock: tsc" if cpu_counter_is_invariant()
                                  else "clock: monotonic"), chosen
    else:
        assert chosen[0].endswith(("clock: tsc", "clock: monotonic")), chosen
    marks = [tuple(map(float, m.split(":"))) for m in r.stdout.split()]
    naps = sorted(find(only_trace(tmp_path), "nap"), key=lambda n: n["start"])
    assert [n["args"] for n in naps] == ["seconds=%r" % s for s in NAPS]
    # The program's own clock brackets each call; a loaded machine only widens
    # the bracket, so no bound here depends on how fast the machine is.
    slack = 0.005
    for nap, (before, after), seconds in zip(naps, marks, NAPS):
        assert before - slack <= nap["start"] <= nap["end"] <= after + slack, (nap, before, after)
        assert seconds * 1000 <= nap["elapsed_ms"] <= (after - before + slack) * 1000, nap
        assert abs((nap["end"] - nap["start"]) * 1000 - nap["elapsed_ms"]) < 0.01, nap
    for earlier, later in zip(naps, naps[1:]):
        assert later["start"] >= earlier["end"]


def test_an_unknown_clock_is_named_and_ignored(py, tmp_path):
    r = py.run(tmp_path, "clock_check.py", autostart=1, clock="sundial")
    assert r.returncode == 0, r.stderr
    assert 'TRACEPATCH_CLOCK: expected "monotonic", "tsc" or nothing, got "sundial"' in r.stderr
    assert len(find(only_trace(tmp_path), "nap")) == 3


def test_digits_that_need_leading_zeros(py, tmp_path):
    """The writer prints times from integers: microseconds below 100000
    (a call early in a second) and fractions of a millisecond below 0.100
    (short calls) keep their leading zeros."""
    prog = tmp_path / "early.py"
    prog.write_text("import time\n"
                    "def short():\n    return 1\n"
                    "while not 0.002 <= time.time() % 1 < 0.040:\n    time.sleep(0.0005)\n"
                    "before = time.time()\n"
                    "for _ in range(200):\n    short()\n"
                    "after = time.time()\n"
                    "print(before, after)\n")
    r = py.run(tmp_path, prog, autostart=1)
    assert r.returncode == 0, r.stderr
    before, after = (float(x) for x in r.stdout.split())
    shorts = find(only_trace(tmp_path), "short")
    assert len(shorts) == 200
    for s in shorts:
        assert before - 0.001 <= s["start"] <= s["end"] <= after + 0.001, (before, s, after)
        assert abs((s["end"] - s["start"]) * 1000 - s["elapsed_ms"]) <= 0.0015, s
    assert min(s["elapsed_ms"] for s in shorts) < 0.1   # three decimals with leading zeros
