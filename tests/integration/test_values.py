"""Values in the trace are rendered exactly as each Python's own repr()."""
from conftest import find, only_trace


def test_repr_matches_this_pythons_repr(py, tmp_path):
    r = py.run(tmp_path, "values.py", "7", autostart=1, max_repr=100000, max_calls=100000)
    assert r.returncode == 0, r.stderr
    expected = r.stdout.splitlines()
    echoes = find(only_trace(tmp_path), "echo")
    got = [e["return_value"].replace("\n", "\\n") for e in echoes]
    assert len(got) == len(expected)
    mismatches = [(g, e) for g, e in zip(got, expected) if g != e]
    assert not mismatches, mismatches[:5]
    assert all(e["args"] == "value=" + e["return_value"] for e in echoes)
    several = find(only_trace(tmp_path), "several")
    assert [(s["args"], s["return_value"]) for s in several] == [
        ("a=0.5, b=0.9999999999999999, c=-0.30000000000000004, d=0.0001, e=999999999999999.9",
         "999999999999999.9")]
