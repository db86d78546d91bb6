"""The yardstick for `tph stats`: a straightforward pure-Python version
(json.load + recursion) of the same summary: slowest functions by total
and by self time, most called, per module, per thread. Recursion does not
count a function's total twice; self time is elapsed minus children's.

    python3 bench/stats_py.py FILE"""
import json
import sys


def fmt(ms):
    us = int(ms * 1000 + 0.5)
    if us < 1000:
        return "%dus" % us
    if ms < 1000:
        return "%.2fms" % ms
    return "%.3fs" % (ms / 1000)


def elapsed(node):
    if node.get("elapsed_ms") is not None:
        return node["elapsed_ms"]
    return ((node.get("end") or 0) - (node.get("start") or 0)) * 1000


def walk(node, on_stack, funcs, mods, thread_row):
    name = "%s.%s" % (node.get("module"), node.get("qualname") or node.get("name"))
    module = node.get("module") or "?"
    total = elapsed(node)
    children = node.get("children") or []
    self_ms = total - sum(elapsed(c) for c in children)
    for key, table in ((name, funcs), (module, mods)):
        row = table.setdefault(key, [0.0, 0.0, 0])
        if key not in on_stack:
            row[0] += total
        row[1] += self_ms
        row[2] += 1
    thread_row[1] += self_ms
    thread_row[2] += 1
    on_stack.append(name)
    on_stack.append(module)
    for c in children:
        walk(c, on_stack, funcs, mods, thread_row)
    on_stack.pop()
    on_stack.pop()


def table(title, rows, key, top, label):
    print(title)
    print("%12s %9s %8s %9s  %s" % ("TOTAL", "SELF", "CALLS", "AVG", label))
    for name, (total, self_ms, calls) in sorted(rows.items(), key=key)[:top]:
        print("%12s %9s %8d %9s  %s" % (fmt(total), fmt(self_ms), calls, fmt(total / calls), name))
    print()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        trace = json.load(f)
    sys.setrecursionlimit(100000)
    funcs, mods, threads = {}, {}, {}
    for root in trace.get("trace", []):
        row = threads.setdefault(root.get("thread"), [0.0, 0.0, 0])
        row[0] += elapsed(root)
        walk(root, [], funcs, mods, row)
    print("Trace: %s" % (trace.get("label") or sys.argv[1]))
    print("Calls: %d  Functions: %d  Modules: %d  Threads: %d\n"
          % (trace.get("call_count", 0), len(funcs), len(mods), len(threads)))
    table("Slowest functions by total time:", funcs, lambda kv: -kv[1][0], 10, "FUNCTION")
    table("Slowest functions by self time:", funcs, lambda kv: -kv[1][1], 10, "FUNCTION")
    table("Most called functions:", funcs, lambda kv: -kv[1][2], 10, "FUNCTION")
    table("By module:", mods, lambda kv: -kv[1][0], 20, "MODULE")
    names = {t.get("id"): t.get("name") for t in trace.get("threads", [])}
    table("By thread:", {"%s (%s)" % (names.get(k), k): v for k, v in threads.items()},
          lambda kv: -kv[1][0], 20, "THREAD")


main()
