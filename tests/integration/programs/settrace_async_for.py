"""An app's trace function (a debugger, coverage) watching an `async for`
loop: prints the events it got, which must be the same with a window open
(CPython's test_sys_settrace, test_20_async_for_loop)."""
import sys


class Letters:
    def __init__(self, text):
        self._it = iter(text)

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return next(self._it)
        except StopIteration:
            raise StopAsyncIteration


async def spell():
    async for letter in Letters("abc"):
        last = letter
    return last


def tracer(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        what = arg[0].__name__ if event == "exception" else ""
        print(frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno, event, what)
    return tracer


def run(coro):
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value


sys.settrace(tracer)
result = run(spell())
sys.settrace(None)
print("spelled", result)
