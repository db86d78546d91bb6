"""The benchmark runner behind scripts/bench (see docs/benchmarks.md).

Runs every measurement on every Python found and prints one table. Runs
under any Python 3.8+; each measurement runs in fresh processes of the
Python under test. Benchmarks are not tests: nothing here fails for being
slow; each number is printed next to its target with a mark.
"""
import argparse
import concurrent.futures
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Memory layouts the idle measurement averages over (idle_jobs): pages by
# which bench/layout_shift.c moves the mappings of both runs of a pair.
# From 3.10 CPython's allocator finds the arena of each block it frees in a
# radix tree of 1 MiB arenas, and a free costs a few instructions more or
# less by which side of a 1 MiB boundary the block lies, so by where the
# arena's mapping starts modulo 1 MiB (256 pages): our libraries' mappings
# move that, by +-1M instructions a run of idle_mixed.py on 3.11. The shifts
# sample that period evenly, as address-space randomisation does, and every
# remainder modulo the 4-page pool size.
IDLE_MMAP_SHIFTS = [256 * i // 12 // 4 * 4 + i % 4 for i in range(12)]

MEASUREMENTS = ["idle", "active", "ignored", "close", "memory", "render", "profile"]

# Workload sizes: (wall-clock size, callgrind size). Callgrind sizes stay
# small: it runs programs ~50x slower.
SIZES = {"fib": (24, 15), "objects": (600, 12), "mixed": (1000, 30)}
QUICK_SIZES = {"fib": (22, 14), "objects": (300, 8), "mixed": (500, 20)}


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


class Python:
    def __init__(self, minor, include, path):
        self.minor = minor
        self.include = include
        self.path = path
        self.version = subprocess.check_output(
            [path, "-c", "import platform; print(platform.python_version())"],
            universal_newlines=True).strip()
        self.major_minor = tuple(int(x) for x in minor.split("."))
        self.helper = None

    @property
    def monitoring(self):
        return self.major_minor >= (3, 12)


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.build = os.path.abspath(args.build)
        self.preload = os.path.join(self.build, "preload", "libtracepatch.so")
        self.tph = os.path.join(self.build, "render", "tph")
        self.work = os.path.join(self.build, "bench")
        os.makedirs(self.work, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="tpbench-")
        self.sizes = QUICK_SIZES if self.quick else SIZES
        # --quick: every other layout (the period still spanned)
        self.idle_layouts = list(range(0, len(IDLE_MMAP_SHIFTS), 2 if self.quick else 1))
        self.results = {}   # (row, python version or "-") -> (text, mark)
        self.rows = []      # (row name, target text)
        self.notes = []

    # ---- plumbing ----

    def base_env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TRACEPATCH_") and k not in ("LD_PRELOAD", "PYTHONPATH")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONHASHSEED"] = "0"
        env["PYTHONPYCACHEPREFIX"] = os.path.join(self.work, "pycache")
        # An empty file: no tracepatch.toml of the machine's can creep in.
        env["TRACEPATCH_CONFIG"] = os.path.join(self.tmp, "no-config.toml")
        return env

    def ours_env(self, cache, **extra):
        env = self.base_env()
        env.update({
            "LD_PRELOAD": self.preload,
            "TRACEPATCH_AUTOSTART": "1",
            "TRACEPATCH_QUIET": "1",
            "TRACEPATCH_MAX_CALLS": "1000000000",
            "TRACEPATCH_MAX_DEPTH": "100000",
            "TRACEPATCH_MAX_SECONDS": "1000000",
            "TRACEPATCH_MAX_MEMORY_MB": "16384",
            "TRACEPATCH_CACHE_DIR": cache,
        })
        env.update(extra)
        return env

    def cache_dir(self):
        return tempfile.mkdtemp(prefix="cache-", dir=self.tmp)

    def run(self, cmd, env, timeout=900):
        p = subprocess.run(cmd, env=env, cwd=self.tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                       p.stderr.strip()[-2000:]))
        return p

    def callgrind(self, cmd, env, region_only, out_file=None):
        vg = ["valgrind", "--tool=callgrind",
              "--callgrind-out-file=%s" % (out_file or "/dev/null")]
        if region_only:
            vg.append("--collect-atstart=no")
        t0 = time.time()
        p = self.run(vg + cmd, env, timeout=3600)
        if self.args.verbose:
            log("%.1f s: callgrind %s" % (time.time() - t0, " ".join(cmd[1:5])))
        m = re.findall(r"Collected : (\d+)", p.stderr)
        if not m:
            raise RuntimeError("no callgrind total in: %s" % p.stderr[-500:])
        return int(m[-1]), p.stdout

    def driver(self, py, mode, workload, size, reps, cg=False):
        cmd = [py.path, os.path.join(HERE, "driver.py"), mode, workload, str(size), str(reps),
               py.helper]
        return cmd + (["--cg"] if cg else [])

    def put(self, row, target, py, value, ok=None, fmt="%.2f"):
        if (row, target) not in self.rows:
            self.rows.append((row, target))
        if value is None:
            text = "n/a"
        elif isinstance(value, str):
            text = value
        else:
            text = fmt % value
        mark = "" if ok is None else (" ok" if ok else " MISS")
        self.results[(row, py.version if py else "-")] = text + mark

    # ---- set-up ----

    def pythons(self):
        out = subprocess.check_output([os.path.join(ROOT, "scripts", "find-pythons")],
                                      universal_newlines=True)
        found = [Python(*line.split(None, 2)) for line in out.splitlines() if line.strip()]
        found.sort(key=lambda p: (p.major_minor, p.version, p.path))
        if self.args.pythons:
            wanted = self.args.pythons.split(",")
            found = [p for p in found
                     if any(p.version.startswith(w) or p.path == w for w in wanted)]
        elif self.quick:
            # One trace-function version and the newest sys.monitoring one.
            pre = [p for p in found if not p.monitoring]
            post = [p for p in found if p.monitoring]
            found = ([pre[-1]] if pre else []) + ([post[-1]] if post else [])
        return found

    def compile_helper(self, py):
        out = os.path.join(self.work, "helper-%s-%s.so" % (py.version,
                                                            abs(hash(py.path)) % 10000))
        subprocess.check_call(["cc", "-O2", "-shared", "-fPIC", "-I", py.include,
                               "-I", os.path.join(py.include, "internal"),
                               os.path.join(HERE, "helper.c"), "-o", out])
        py.helper = out
        # Warm the bytecode cache so that no measured run compiles our files
        # (or, for idle_mixed.py, the standard library modules it imports).
        for w in ("fib", "hot"):
            self.run(self.driver(py, "pytrace", w, 3, 1), self.base_env())
        self.run([py.path, os.path.join(HERE, "idle_mixed.py")], self.base_env())

    # ---- 1. idle ----

    def layout_shift_library(self):
        """Compiled once a bench run (it needs no Python headers)."""
        out = os.path.join(self.work, "layout_shift.so")
        if not getattr(self, "layout_shift_built", False):
            subprocess.check_call(["cc", "-O2", "-shared", "-fPIC",
                                   os.path.join(HERE, "layout_shift.c"), "-o", out])
            self.layout_shift_built = True
        return out

    def idle_jobs(self, py):
        """Plain and preloaded runs in memory layouts of their own. The
        layout alone moves CPython's own count by up to ~2M instructions
        either way, and valgrind gives every run of one environment the
        same layout: 3.10+ index the type attribute cache by the address of
        the name, so which names share a slot depends on where the
        allocator put them, which any allocation before them moves (ours at
        set-up, or a longer environment variable); from 3.10 the cost of a
        free depends on where the arena's mapping starts (IDLE_MMAP_SHIFTS).
        So each pair shares a layout of its own: a shift of the mappings
        (bench/layout_shift.c, preloaded into both runs, ours after it) and
        environment variables of assorted number and lengths (copied into
        os.environ at start-up, before most names), as machines and
        deployments differ in theirs. The plain run gets a filler as long
        as our variables, so that only our preload differs."""
        cmd = [py.path, os.path.join(HERE, "idle_mixed.py")]
        shift = self.layout_shift_library()
        ours_vars = {"LD_PRELOAD": shift + ":" + self.preload,
                     "TRACEPATCH_CACHE_DIR": self.cache_dir()}
        size = sum(len(k) + len(v) + 2 for k, v in ours_vars.items())
        size -= len("LD_PRELOAD") + len(shift) + 2   # the plain run has the shift's
        jobs = {}
        for i in self.idle_layouts:
            plain_env = self.base_env()
            rng = random.Random(i)
            for j in range(rng.randint(4, 24)):
                plain_env["TPBENCH_PAD%d" % j] = "x" * rng.randint(1, 200)
            plain_env["TPBENCH_MMAP_PAGES"] = str(IDLE_MMAP_SHIFTS[i])
            plain_env["LD_PRELOAD"] = shift
            ours_env = dict(plain_env, **ours_vars)
            plain_env["TPBENCH_FILL"] = "x" * (size - len("TPBENCH_FILL") - 2)
            jobs[("idle", py.version, "plain", i)] = \
                lambda e=plain_env: self.callgrind(cmd, e, False)[0]
            jobs[("idle", py.version, "ours", i)] = \
                lambda e=ours_env: self.callgrind(cmd, e, False)[0]
        return jobs

    def idle_report(self, py, r):
        plain = [r[("idle", py.version, "plain", i)] for i in self.idle_layouts]
        ours = [r[("idle", py.version, "ours", i)] for i in self.idle_layouts]
        ratio = sum(ours) / sum(plain)
        each = [o / p for o, p in zip(ours, plain)]
        extra = [(o - p) / 1e6 for o, p in zip(ours, plain)]
        mean = sum(extra) / len(extra)
        sem = (sum((x - mean) ** 2 for x in extra) / (len(extra) - 1) / len(extra)) ** 0.5
        self.put("idle: instructions, preloaded / plain (mean of %d layouts)" % len(self.idle_layouts),
                 "<= 1.001", py, ratio, ratio <= 1.001, "%.4f")
        self.put("idle: extra instructions (M, mean +- its standard error); per-layout ratios; "
                 "plain runs' spread", "",
                 py, "%+.2fM +- %.2fM; %.4f-%.4f; %.4f" % (mean, sem, min(each), max(each),
                                                          max(plain) / min(plain)))

    # ---- 2. active ----

    def active_cg_jobs(self, py):
        jobs = {}
        for w, (_, size) in self.sizes.items():
            for mode in ("plain", "noop", "cprofile", "pytrace", "ours"):
                env = self.ours_env(self.cache_dir()) if mode == "ours" else self.base_env()
                cmd = self.driver(py, "plain" if mode == "ours" else mode, w, size, 1, cg=True)
                jobs[("cg", py.version, w, mode)] = (
                    lambda cmd=cmd, env=env: self.callgrind(cmd, env, True)[0])
        return jobs

    def active_wall(self, py):
        rounds = 1 if self.quick else 2
        # The same number of repetitions for every mode the target compares
        # (plain against ours): a best of 15 against a best of 5 reads the
        # noise of this shared machine as our cost. The pure-Python
        # recorder is 90-150x slower and needs no best.
        reps = {"plain": 15, "noop": 15, "noopeval": 15, "cprofile": 15, "ours": 15,
                "ours_tsc": 15, "pytrace": 2}
        if self.quick:
            reps = {"plain": 9, "noop": 9, "noopeval": 9, "cprofile": 9, "ours": 9,
                    "ours_tsc": 9, "pytrace": 1}
        best = {}
        for w, (size, _) in self.sizes.items():
            # ours_tsc (fib only): stamped with the CPU's counter even where
            # the kernel keeps time another way (TRACEPATCH_CLOCK=tsc).
            modes = ("plain", "noop", "noopeval", "cprofile", "ours", "pytrace") + \
                (("ours_tsc",) if w == "fib" else ())
            for _ in range(rounds):
                for mode in modes:
                    if mode == "ours":
                        env = self.ours_env(self.cache_dir())
                    elif mode == "ours_tsc":
                        env = self.ours_env(self.cache_dir(), TRACEPATCH_CLOCK="tsc")
                    else:
                        env = self.base_env()
                    cmd = self.driver(py, "plain" if mode.startswith("ours") else mode, w, size,
                                      reps[mode])
                    t = json.loads(self.run(cmd, env).stdout.splitlines()[-1])["best"]
                    key = (w, mode)
                    best[key] = min(best.get(key, t), t)
        return best

    def active_report(self, py, cg, wall):
        for w in self.sizes:
            c = {m: cg[("cg", py.version, w, m)] for m in
                 ("plain", "noop", "cprofile", "pytrace", "ours")}
            extra = {m: c[m] - c["plain"] for m in c}
            size_w, size_cg = self.sizes[w]
            ratio = extra["ours"] / extra["cprofile"] if extra["cprofile"] > 0 else None
            self.put("%s: ours/cProfile, extra instructions" % w, "<= 0.8", py, ratio,
                     ratio is not None and ratio <= 0.8)
            slow = extra["pytrace"] / extra["ours"] if extra["ours"] > 0 else None
            self.put("%s: pure-Python/ours, extra instructions" % w, ">= 15", py, slow,
                     slow is not None and slow >= 15, "%.1f")
            self.put("%s: noop C profile/ours, extra instructions" % w, "", py,
                     extra["noop"] / extra["ours"] if extra["ours"] > 0 else None)
            u = wall[(w, "plain")]
            target = "<= 4.0 (3.12+)" if w == "fib" else ""
            r = wall[(w, "ours")] / u
            self.put("%s: wall x untraced: ours" % w, target, py, r,
                     (r <= 4.0) if (w == "fib" and py.monitoring) else None)
            if (w, "ours_tsc") in wall:
                self.put("%s: wall x untraced: ours, TRACEPATCH_CLOCK=tsc" % w, "", py,
                         wall[(w, "ours_tsc")] / u)
            self.put("%s: wall x untraced: noop profile / noop evaluator / cProfile / pure-Py"
                     % w, "", py, "%.2f / %.2f / %.2f / %.0f"
                     % (wall[(w, "noop")] / u, wall[(w, "noopeval")] / u,
                        wall[(w, "cprofile")] / u, wall[(w, "pytrace")] / u))
            self.put("%s: untraced best (ms)" % w, "", py, u * 1000, None, "%.1f")

    # ---- 3. ignored code ----

    def ignored_jobs(self, py):
        size = 14 if self.quick else 16
        env = self.ours_env(self.cache_dir(), TRACEPATCH_IGNORE_MODULES="hotmod")
        return {
            ("ign", py.version, "plain"): lambda: self.callgrind(
                self.driver(py, "plain", "hot", size, 1, cg=True), self.base_env(), True)[0],
            ("ign", py.version, "ours"): lambda: self.callgrind(
                self.driver(py, "plain", "hot", size, 1, cg=True), env, True)[0],
        }

    def ignored_wall(self, py):
        size = 22 if self.quick else 24
        best = {}
        for _ in range(1 if self.quick else 2):
            for mode in ("plain", "ours"):
                env = (self.ours_env(self.cache_dir(), TRACEPATCH_IGNORE_MODULES="hotmod")
                       if mode == "ours" else self.base_env())
                t = json.loads(self.run(self.driver(py, "plain", "hot", size, 9),
                                        env).stdout.splitlines()[-1])["best"]
                best[mode] = min(best.get(mode, t), t)
        return best

    def ignored_report(self, py, cg, wall):
        ratio = cg[("ign", py.version, "ours")] / cg[("ign", py.version, "plain")]
        target = "<= 1.05 (3.12+)"
        self.put("ignored hot module: instructions x untraced", target, py, ratio,
                 ratio <= 1.05 if py.monitoring else None, "%.3f")
        w = wall["ours"] / wall["plain"]
        self.put("ignored hot module: wall x untraced", target, py, w,
                 w <= 1.05 if py.monitoring else None, "%.3f")

    # ---- 4. window close ----

    def close(self, py):
        """Three closes (two with --quick): the fastest to disk; the GIL we
        hold is the main thread's CPU time from the signal to its next
        statement (the close runs there, GIL held), the median of the
        runs; its wall time beside it also counts waiting for a CPU and
        for the GIL (a ticker thread spins beside it), which on this
        shared machine moved between 0.3 and 5 ms from run to run."""
        calls = 20000 if self.quick else 100000
        runs = []
        for _ in range(2 if self.quick else 3):
            cache = self.cache_dir()
            p = self.run([py.path, os.path.join(HERE, "close_app.py"), str(calls), cache],
                         self.ours_env(cache))
            runs.append(json.loads(p.stdout.splitlines()[-1]))
            shutil.rmtree(cache, ignore_errors=True)
        best = min(runs, key=lambda r: r["to_disk"])

        def median(key):
            values = sorted(r[key] for r in runs)
            return values[(len(values) - 1) // 2]
        held = median("main_cpu")
        self.put("close: recorded calls", "", py, "%d" % best["calls"])
        self.put("close: time to file on disk (s)", "<= 0.3", py, best["to_disk"],
                 best["to_disk"] <= 0.3, "%.3f")
        self.put("close: GIL held by the close (ms, main thread's CPU time from the signal "
                 "to its next statement, median of %d)" % len(runs), "<= 5", py,
                 held * 1000, held <= 0.005)
        self.put("close: the same in wall time (ms, median; all)", "", py,
                 "%.2f; %s" % (median("main_blocked") * 1000,
                               " ".join("%.2f" % (r["main_blocked"] * 1000) for r in runs)))
        self.put("close: app thread's longest stall (ms), the fastest close; same in a quiet "
                 "period", "", py, "%.2f; %.2f" % (best["stall"] * 1000, best["baseline_stall"] * 1000))

    # ---- 5. memory ----

    def memory(self, py):
        calls = 200000 if self.quick else 500000
        out = {}
        for mode in ("plain", "ours"):
            cache = self.cache_dir()
            env = self.ours_env(cache) if mode == "ours" else self.base_env()
            p = self.run([py.path, os.path.join(HERE, "memory_app.py"), str(calls)], env)
            out[mode] = json.loads(p.stdout.splitlines()[-1])
            shutil.rmtree(cache, ignore_errors=True)
        # Per call, the text is "" (args) and "None" (return), each with its NUL.
        text = 6
        per_call = (out["ours"]["rss_growth"] - out["plain"]["rss_growth"]) / calls - text
        self.put("memory: bytes per recorded call (w/o value text)", "<= 64", py, per_call,
                 per_call <= 64, "%.1f")
        cap_mb = 8
        cache = self.cache_dir()
        p = self.run([py.path, os.path.join(HERE, "memory_app.py"), str(calls * 2)],
                     self.ours_env(cache, TRACEPATCH_MAX_MEMORY_MB=str(cap_mb)))
        r = json.loads(p.stdout.splitlines()[-1])
        header = self.trace_header(cache)
        shutil.rmtree(cache, ignore_errors=True)
        ok = header.get("limit_reason") == "max_memory"
        self.put("memory: max_memory_mb=%d -> limit_reason; calls; RSS growth MB" % cap_mb,
                 "max_memory", py, "%s; %s; %.1f" % (header.get("limit_reason"),
                                                     header.get("call_count"),
                                                     r["rss_growth"] / 2 ** 20)
                 + (" ok" if ok else " MISS"))

    def trace_header(self, cache):
        files = [f for f in os.listdir(cache) if f.endswith(".json")]
        if not files:
            return {}
        with open(os.path.join(cache, files[0]), encoding="utf-8") as f:
            head = f.read(1 << 16)
        out = {}
        for key in ("limit_reason", "call_count", "end_reason"):
            m = re.search(r'"%s"\s*:\s*("([^"]*)"|null|\d+)' % key, head)
            if m:
                out[key] = m.group(2) if m.group(2) is not None else m.group(1)
        return out

    # ---- 6. renderer ----

    def render(self):
        calls = 200000 if self.quick else 1000000
        trace = os.path.join(self.work, "trace-%d.json" % calls)
        if not os.path.exists(trace):
            log("generating a %d-call trace (kept in %s)" % (calls, trace))
            subprocess.check_call([sys.executable, os.path.join(ROOT, "scripts", "gen-trace"),
                                   str(calls), trace + ".tmp", "--threads", "2"])
            os.rename(trace + ".tmp", trace)
        size_mb = os.path.getsize(trace) / 2 ** 20
        label = "render %dk calls (%.0f MB)" % (calls // 1000, size_mb)

        def timed(cmd, reps):
            best, rss = None, 0
            for _ in range(reps):
                with open(os.devnull, "w") as null:
                    t0 = time.perf_counter()
                    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=null,
                                       stderr=subprocess.PIPE, universal_newlines=True,
                                       env=dict(self.base_env(), NO_COLOR="1"))
                    t = time.perf_counter() - t0
                if p.returncode != 0:
                    raise RuntimeError("%s failed: %s" % (cmd, p.stderr[-500:]))
                m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
                rss = max(rss, int(m.group(1)) if m else 0)
                best = t if best is None else min(best, t)
            return best, rss

        py = "/usr/bin/python3"
        reps = 2 if self.quick else 3
        tree, tree_rss = timed([self.tph, "tree", trace, "--no-pager"], reps)
        stats, stats_rss = timed([self.tph, "stats", trace, "--no-pager"], reps)
        ytree, _ = timed([py, os.path.join(ROOT, "scripts", "bench-render-py"), trace], 1)
        ystats, _ = timed([py, os.path.join(HERE, "stats_py.py"), trace], 1)
        self.put("%s: tph tree s; pure-Python s; speed-up" % label, ">= 20x", None,
                 "%.2f; %.1f; %.0fx" % (tree, ytree, ytree / tree)
                 + (" ok" if ytree / tree >= 20 else " MISS"))
        self.put("%s: tph stats s; pure-Python s; speed-up" % label, ">= 20x", None,
                 "%.2f; %.1f; %.0fx" % (stats, ystats, ystats / stats)
                 + (" ok" if ystats / stats >= 20 else " MISS"))
        peak = max(tree_rss, stats_rss) / 1024
        self.put("%s: tph peak RSS MB (tree, stats)" % label, "<= 50", None,
                 "%.1f, %.1f" % (tree_rss / 1024, stats_rss / 1024)
                 + (" ok" if peak <= 50 else " MISS"))

    # ---- profile ----

    def profile(self, pys):
        chosen = [p for p in pys if not p.monitoring][-1:] + [p for p in pys if p.monitoring][-1:]
        for py in chosen:
            out = os.path.join(self.work, "callgrind-fib-%s.out" % py.version)
            self.callgrind(self.driver(py, "plain", "fib", 18, 1, cg=True),
                           self.ours_env(self.cache_dir()), True, out_file=out)
            ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=99", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 universal_newlines=True).stdout
            lines = [l for l in ann.splitlines()
                     if re.match(r"\s*[\d,]+ \(\s*[\d.]+%\)\s+\S", l)]
            total = lines[0] if lines else "?"
            print("\nProfile of ours on fib(18), Python %s (callgrind, self cost, "
                  "workload only; %s):" % (py.version, out))
            print(total)
            for l in lines[1:19]:
                print(re.sub(r"\[/[^\]]*/([^/\]]+)\]", r"[\1]", l))

    # ---- the whole run ----

    def main(self):
        only = set(self.args.only.split(",")) if self.args.only else set(MEASUREMENTS)
        if self.quick and not self.args.only:
            only.discard("profile")
        unknown = only - set(MEASUREMENTS)
        if unknown:
            sys.exit("bench: unknown measurement(s): %s (known: %s)"
                     % (", ".join(sorted(unknown)), ", ".join(MEASUREMENTS)))
        open(os.path.join(self.tmp, "no-config.toml"), "w").close()
        pys = self.pythons()
        log("pythons: %s" % ", ".join("%s (%s)" % (p.version, p.path) for p in pys))
        for py in pys:
            self.compile_helper(py)
        t_start = time.time()

        # Callgrind jobs first, two at a time (instruction counts do not
        # care about the other core); wall-clock runs afterwards, alone.
        jobs = {}
        for py in pys:
            if "idle" in only:
                jobs.update(self.idle_jobs(py))
            if "active" in only:
                jobs.update(self.active_cg_jobs(py))
            if "ignored" in only and (py.monitoring or not self.quick):
                jobs.update(self.ignored_jobs(py))
        cg = {}
        if jobs:
            log("%d callgrind runs, %d at a time" % (len(jobs), self.args.jobs))
            with concurrent.futures.ThreadPoolExecutor(self.args.jobs) as ex:
                futs = {ex.submit(fn): key for key, fn in jobs.items()}
                for f in concurrent.futures.as_completed(futs):
                    cg[futs[f]] = f.result()
            log("callgrind done in %.0f s" % (time.time() - t_start))
        for py in pys:
            if "idle" in only:
                self.idle_report(py, cg)
        for py in pys:
            if "active" in only:
                log("wall clock, active workloads, %s" % py.version)
                self.active_report(py, cg, self.active_wall(py))
        for py in pys:
            if "ignored" in only and (py.monitoring or not self.quick):
                log("wall clock, ignored module, %s" % py.version)
                self.ignored_report(py, cg, self.ignored_wall(py))
        for py in pys:
            if "close" in only:
                log("window close, %s" % py.version)
                self.close(py)
        for py in pys:
            if "memory" in only:
                log("memory, %s" % py.version)
                self.memory(py)
        if "render" in only:
            log("renderer")
            self.render()
        self.print_table(pys)
        if "profile" in only:
            self.profile(pys)
        log("done in %.0f s" % (time.time() - t_start))
        shutil.rmtree(self.tmp, ignore_errors=True)

    def print_table(self, pys):
        cols = [p.version for p in pys]
        has_global = any(k[1] == "-" for k in self.results)
        print("\n## tracepatch benchmarks (%s%s)\n" % (time.strftime("%Y-%m-%d"),
                                                      ", --quick" if self.quick else ""))
        print("Machine: %s, %d CPUs, %s\n" % (cpu_model(), os.cpu_count() or 0,
                                              platform.platform()))
        head = ["measurement", "target"] + cols
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row, target in self.rows:
            if any((row, c) in self.results for c in cols):
                cells = [self.results.get((row, c), "") for c in cols]
            else:
                cells = [self.results.get((row, "-"), "")] + [""] * (len(cols) - 1)
            print("| %s | %s | %s |" % (row, target, " | ".join(cells)))
        if has_global:
            print("\n(renderer rows: one value, in the first column; built once, Python-independent)")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="two Pythons, smaller workloads, fewer repetitions, no profile")
    ap.add_argument("--only", metavar="NAME[,NAME]",
                    help="only these measurements: " + ", ".join(MEASUREMENTS))
    ap.add_argument("--pythons", metavar="VER|PATH[,...]",
                    help="only these Pythons (version prefix such as 3.12, or path)")
    ap.add_argument("--verbose", action="store_true", help="log every callgrind run")
    ap.add_argument("--jobs", type=int, default=2, help="parallel callgrind runs (default 2)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"),
                    help="build directory (default build-bench)")
    Bench(ap.parse_args()).main()


if __name__ == "__main__":
    main()
