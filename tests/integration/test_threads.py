"""Threads: before the window, started inside it, many at once, named."""
import pytest

from conftest import Interactive, find, traces, wait_for


@pytest.mark.parametrize("n_new", [3, 200])
def test_threads_old_and_new(py, tmp_path, n_new):
    app = Interactive(py.start(tmp_path, "threads.py", str(n_new), max_calls=100000))
    app.signal()
    assert app.send("go") == "went"
    app.signal()
    wait_for(lambda: traces(tmp_path), what="trace file")
    rc, _out, err = app.finish()
    assert rc == 0, err
    [t] = traces(tmp_path)
    assert t["trigger"] == "signal" and t["end_reason"] == "signal"
    names = {th["name"]: th for th in t["threads"]}
    assert {"old-0", "old-1"} <= set(names)
    assert {"new-%d" % i for i in range(n_new)} <= set(names)
    works = find(t, "work")
    tags = sorted(w["args"].split(",")[0] for w in works)
    assert tags.count("tag='short'") == n_new
    assert "tag='old0'" in tags and "tag='old1'" in tags
    shorts = find(t, "short_lived")
    assert len(shorts) == n_new
    by_id = {th["id"]: th for th in t["threads"]}
    for s in shorts:
        assert s in t["trace"], "a thread's first call is a root"
        assert by_id[s["thread"]]["name"] == "new-" + s["args"].split(",")[0][2:]
        assert s["return_value"].startswith("'short-")
    raw = [w for w in works if w["args"].startswith("tag='raw'")]
    assert len(raw) >= 10, "a thread started with _thread is picked up"
    raw_root = [n for n in t["trace"] if n["qualname"] == "raw_thread"
                or (n["qualname"] == "work" and "raw" in n["args"])][0]
    # Idents are reused once a thread ends: several entries may share one.
    same_ident = [th for th in t["threads"] if th["id"] == raw_root["thread"]]
    assert any(th["name"] is None or th["name"].startswith("Dummy") for th in same_ident)
    starts = [n["start"] for n in t["trace"]]
    assert starts == sorted(starts)
    assert sum(th["call_count"] for th in t["threads"]) == t["call_count"]


def test_thread_started_after_threading_is_imported_in_window(py, tmp_path):
    prog = tmp_path / "late.py"
    prog.write_text("import threading\n"
                    "def work(x):\n    return x + 1\n"
                    "t = threading.Thread(target=work, args=(1,), name='late')\n"
                    "t.start()\nt.join()\n")
    r = py.run(tmp_path, str(prog), autostart=1)
    assert r.returncode == 0, r.stderr
    [t] = traces(tmp_path)
    [late] = [th for th in t["threads"] if th["name"] == "late"]
    [work] = find(t, "work")
    assert work["thread"] == late["id"] and work["return_value"] == "2"
