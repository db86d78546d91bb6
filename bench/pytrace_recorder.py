"""The yardstick of the pure-Python approach: a sys.settrace call-tree
recorder that keeps what ours keeps (name, module, args as name=repr,
return value or exception, start and end times), written the
straightforward way.

    rec = Recorder(max_repr=120); rec.start(); ...; rec.stop(); rec.roots
"""
import sys
import time

_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08


class Node:
    __slots__ = ("name", "module", "args", "return_value", "exception", "start", "end",
                 "children")

    def __init__(self, name, module, args, start):
        self.name = name
        self.module = module
        self.args = args
        self.return_value = None
        self.exception = None
        self.start = start
        self.end = None
        self.children = []


class Recorder:
    def __init__(self, max_repr=120):
        self.max_repr = max_repr
        self.roots = []
        self.stack = []
        self.calls = 0

    def cut(self, value):
        try:
            text = repr(value)
        except Exception as e:  # a broken __repr__ must not break the app
            text = "<repr failed: %s>" % type(e).__name__
        if len(text) > self.max_repr:
            text = text[:self.max_repr - 3] + "..."
        return text

    def render_args(self, frame):
        code = frame.f_code
        n = code.co_argcount + code.co_kwonlyargcount
        if code.co_flags & _CO_VARARGS:
            n += 1
        if code.co_flags & _CO_VARKEYWORDS:
            n += 1
        values = frame.f_locals
        parts = []
        for name in code.co_varnames[:n]:
            if name in values:
                parts.append("%s=%s" % (name, self.cut(values[name])))
        return ", ".join(parts)

    def on_call(self, frame, event, arg):
        if event != "call":
            return None
        frame.f_trace_lines = False
        node = Node(frame.f_code.co_name, frame.f_globals.get("__name__"),
                    self.render_args(frame), time.time())
        self.calls += 1
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)
        return self.on_event

    def on_event(self, frame, event, arg):
        if event == "return":
            if not self.stack:
                return None
            node = self.stack.pop()
            node.end = time.time()
            if node.exception is None:
                node.return_value = self.cut(arg)
        elif event == "exception":
            if self.stack:
                exc_type, exc, _tb = arg
                self.stack[-1].exception = "%s: %s" % (exc_type.__name__, exc)
        return self.on_event

    def start(self):
        sys.settrace(self.on_call)

    def stop(self):
        sys.settrace(None)
