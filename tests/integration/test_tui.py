"""tph tui driven in tmux (send-keys, capture-pane), and tph logs --follow.

Each test starts its own tmux server (-L) so tests never share a session.
"""
import json
import os
import pathlib
import select
import shutil
import subprocess
import time
import uuid

import pytest

from conftest import REPO, TPH, wait_for

FIXTURES = REPO / "tests" / "fixtures" / "traces"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Screen:
    """A tph tui running in a detached 120x40 tmux session."""

    def __init__(self, path, *args):
        self.server = "tph-tui-" + uuid.uuid4().hex[:8]
        cmd = " ".join([str(TPH), "tui", str(path), *args]) + "; echo TPH-EXIT=$?; sleep 60"
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
                  "env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "sh", "-c", cmd)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.server, *args], check=True,
                              capture_output=True, text=True).stdout

    def text(self):
        return self.tmux("capture-pane", "-t", "t", "-p")

    def lines(self):
        return self.text().split("\n")

    def keys(self, *keys, literal=False):
        self.tmux("send-keys", "-t", "t", *(["-l"] if literal else []), *keys)

    def wait(self, needle, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if needle in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError("%r never appeared; screen:\n%s" % (needle, self.text()))

    def wait_loaded(self, timeout=10.0):
        """Until the file is read: the tree and the title come first, the
        detail pane once loading ends (a screen captured in between has
        the title's count but not the pane)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if "tph tui" in screen and "(loading...)" not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError("still loading; screen:\n%s" % self.text())

    def selected(self):
        """The detail pane's title: the selected call's name."""
        for line in self.lines():
            if line.startswith("\u2500\u2500"):
                return line.strip("\u2500")
        return None

    def close(self):
        subprocess.run(["tmux", "-L", self.server, "kill-server"], capture_output=True)


@pytest.fixture
def screen():
    opened = []

    def open_(path, *args):
        s = Screen(path, *args)
        opened.append(s)
        s.wait("tph tui")
        s.wait_loaded()
        return s

    yield open_
    for s in opened:
        s.close()


def rows(s):
    """The tree rows (between the title bar and the detail pane)."""
    out = []
    for line in s.lines()[1:]:
        if line.startswith("\u2500\u2500"):
            break
        if line.strip():
            out.append(line)
    return out


def test_first_screen_and_detail_pane(screen):
    s = screen(FIXTURES / "basic.json")
    s.wait("8 calls")
    r = rows(s)
    assert r[0].startswith("\u25be app.main(argv=['app.py']) -> 0  [10.00ms]")
    assert "\u25b8 app.config.Config.load(" in r[1]          # collapsed, has children
    assert len(r) == 6                                    # roots expanded, one level
    text = s.text()
    assert s.selected() == "app.main"
    assert "file     /srv/app/app.py:10   depth 0   thread MainThread (140001)" in text
    assert "elapsed 10.00ms   self 2.70ms   children 5   calls below 7" in text
    assert "args     argv=['app.py']" in text
    assert "return   0" in text


def test_navigation_expand_collapse_parent(screen):
    s = screen(FIXTURES / "basic.json")
    s.wait("8 calls")   # loaded: the title shows before the rows exist
    s.keys("j")
    s.wait("\u2500\u2500app.config.Config.load\u2500")
    s.keys("Enter")
    s.wait("app.io.read(path='app.ini')")
    assert len(rows(s)) == 7
    s.keys("j")
    s.wait("\u2500\u2500app.io.read\u2500")
    s.keys("p")
    s.wait("\u2500\u2500app.config.Config.load\u2500")
    s.keys("Left")                                        # collapse
    wait_for(lambda: len(rows(s)) == 6, 5, "collapse")
    s.keys("Left")                                        # collapsed: go to parent
    s.wait("\u2500\u2500app.main\u2500")
    s.keys("G")
    s.wait("\u2500\u2500app.io.save\u2500")
    s.keys("g")
    s.wait("\u2500\u2500app.main\u2500")
    s.keys("1")                                           # roots only
    wait_for(lambda: len(rows(s)) == 1, 5, "one level")
    s.keys("9")
    wait_for(lambda: len(rows(s)) == 8, 5, "all levels")


def test_exception_and_slowest(screen):
    s = screen(FIXTURES / "basic.json")
    s.wait("8 calls")   # loaded before the first key
    s.keys("e")
    text = s.wait("\u2500\u2500app.io.save\u2500")
    assert "raised   OSError: disk full" in text
    s.keys("g", "s")                                      # slowest child of main
    s.wait("\u2500\u2500app.io.save\u2500")
    s.keys("S")                                           # most self time
    text = s.wait("self 2.95ms")
    assert s.selected() == "app.io.save"


def test_search_with_n_and_N(screen):
    s = screen(FIXTURES / "basic.json")
    s.wait("8 calls")   # loaded before the first key
    s.keys("/")
    s.keys("step\\(i=[12]", literal=True)
    s.keys("Enter")
    s.wait("args     i=1")
    s.keys("n")
    s.wait("args     i=2")
    s.keys("n")                                           # wraps to i=1
    text = s.wait("args     i=1")
    assert "search hit bottom" in text
    s.keys("N")
    s.wait("args     i=2")
    s.keys("/")
    s.keys("read", literal=True)
    s.keys("Enter")                                       # inside a collapsed call: revealed
    s.wait("\u2500\u2500app.io.read\u2500")
    assert any("app.io.read(path='app.ini')" in r for r in rows(s))
    s.keys("/")
    s.keys("(", literal=True)
    s.keys("Enter")
    text = s.wait("bad regular expression")
    assert s.selected() == "app.io.read"


def test_filter_keeps_ancestors_and_bad_expression_keeps_view(screen):
    s = screen(FIXTURES / "basic.json")
    s.wait("8 calls")   # loaded before the first key
    s.keys("f")
    s.keys("exception or func == read", literal=True)
    s.keys("Enter")
    s.wait("filter: exception or func == read")
    wait_for(lambda: len(rows(s)) == 4, 5, "filtered rows")
    r = rows(s)
    assert "app.main(" in r[0]                            # ancestor kept
    assert "app.config.Config.load(" in r[1]              # ancestor, expanded
    assert "app.io.read(" in r[2]
    assert "app.io.save(" in r[3]
    assert not any("app.step(" in x for x in r)
    before = rows(s)
    s.keys("f")
    s.keys("C-u")
    s.keys("exception and elapsed_ms >", literal=True)
    s.keys("Enter")
    s.wait("bad filter, view unchanged")
    lines = s.lines()
    at = [i for i, l in enumerate(lines) if l.startswith("filter: exception and")][-1]
    bad = lines[at][len("filter: "):]
    caret = lines[at + 1].index("^") - len("filter: ")
    assert caret == len(bad)                              # just after the last byte
    assert "expected a value after '>'" in lines[at + 1]
    assert rows(s) == before
    s.keys("f", "C-u", "Enter")
    s.wait("filter cleared")
    wait_for(lambda: len(rows(s)) == 7, 5, "unfiltered")      # Config.load stays open


def test_filter_by_time_and_where_option(screen):
    s = screen(FIXTURES / "basic.json", "--where", "'self_ms >= 2 and depth > 0'")
    wait_for(lambda: len(rows(s)) == 3, 5, "--where rows")
    r = rows(s)
    assert "app.main(" in r[0] and "app.step(i=1)" in r[1] and "app.io.save(" in r[2]


def test_bad_where_and_missing_file_exit_with_one_line():
    r = subprocess.run([str(TPH), "tui", str(FIXTURES / "basic.json"), "--where", "depth >"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr == "tph tui: --where \"depth >\": expected a value after '>' at position 8\n"
    r = subprocess.run(["script", "-qec", "%s tui /nonexistent.json" % TPH, "/dev/null"],
                       capture_output=True, text=True)
    assert "tph: /nonexistent.json: cannot open" in r.stdout


def header_first(base, **extra):
    """`base` with `extra` keys put before `trace`, where writers put them."""
    out = {k: v for k, v in base.items() if k != "trace"}
    out.update(extra)
    out["trace"] = base["trace"]
    return out


def write_atomically(path, data):
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(data))
    os.rename(tmp, path)


def test_reload_partial_file(screen, tmp_path):
    base = json.loads((FIXTURES / "basic.json").read_text())
    part = header_first(dict(base, trace=[base["trace"][0]]), partial=True)
    part["trace"][0] = dict(part["trace"][0], children=part["trace"][0]["children"][:1])
    path = tmp_path / "trace_partial.json"
    write_atomically(path, part)
    s = screen(path)
    s.wait("PARTIAL (r reloads)")
    assert len(rows(s)) == 2
    s.keys("j")
    s.wait("\u2500\u2500app.config.Config.load\u2500")
    write_atomically(path, dict(base))                    # the final file replaces it
    s.keys("r")
    s.wait("reloaded")
    wait_for(lambda: len(rows(s)) == 6, 5, "reloaded rows")
    assert s.selected() == "app.config.Config.load"       # selection kept
    assert "PARTIAL" not in s.text()
    s.keys("r")
    s.wait("not a partial trace")


def test_quit(screen):
    s = screen(FIXTURES / "basic.json")
    s.keys("q")
    s.wait("TPH-EXIT=0")


def test_million_calls_first_screen_fast(screen, tmp_path):
    path = tmp_path / "big.json"
    subprocess.run([str(REPO / "scripts" / "gen-trace"), "1000000", str(path)], check=True)
    start = time.monotonic()
    s = Screen(path)
    try:
        s.wait("\u25be ", timeout=5)
        assert time.monotonic() - start < 1.5             # tmux start-up included
        s.keys("j")
        s.wait("\u2500\u2500", timeout=2)
        s.wait("1000000 calls", timeout=120)               # loads in the background
        s.keys("G")
        s.wait("\u2500\u2500", timeout=5)
        s.keys("q")
        s.wait("TPH-EXIT=0", timeout=30)
    finally:
        s.close()


class Follow:
    def __init__(self, cache, *args):
        self.proc = subprocess.Popen([str(TPH), "logs", "--follow", "--cache-dir", str(cache),
                                      *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)

    def line(self, timeout=10):
        ready, _w, _x = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "tph logs --follow printed nothing in %d s" % timeout
        return self.proc.stdout.readline()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def test_logs_follow_new_snapshot_update_final(tmp_path):
    cache = tmp_path / "cache"                            # created after follow starts
    base = json.loads((FIXTURES / "basic.json").read_text())
    f = Follow(cache)
    try:
        assert f.line().startswith("EVENT")
        time.sleep(0.3)
        cache.mkdir()                                     # as the core makes it: with the
        write_atomically(cache / "trace_1.json", base)    # first trace, before follow looks
        line = f.line()
        assert line.split()[0] == "new" and "trace_1.json" in line
        write_atomically(cache / "trace_2.json", header_first(base, partial=True, call_count=3))
        line = f.line()
        assert line.split()[0] == "snapshot" and "trace_2.json" in line
        write_atomically(cache / "trace_2.json", header_first(base, partial=True, call_count=5))
        line = f.line()
        assert line.split()[0] == "updated" and " 5 " in line
        write_atomically(cache / "trace_2.json", base)
        assert f.line().split()[0] == "final"
        (cache / "notes.txt").write_text("x")             # not a trace: nothing printed
        write_atomically(cache / "trace_3.json", base)
        assert "trace_3.json" in f.line()
    finally:
        f.stop()


def test_logs_follow_json_lines(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    base = json.loads((FIXTURES / "basic.json").read_text())
    write_atomically(cache / "trace_0.json", base)        # already there: not news
    f = Follow(cache, "--json")
    try:
        time.sleep(0.5)
        write_atomically(cache / "trace_0.json", header_first(base, partial=True))
        row = json.loads(f.line())
        assert row["event"] == "updated" and row["path"].endswith("trace_0.json")
        assert row["call_count"] == 8
    finally:
        f.stop()
