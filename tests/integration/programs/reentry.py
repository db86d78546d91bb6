"""The app's code running in the middle of tracepatch's own C code, by
argv[1]:

    gc       a collection started by one of the renderer's allocations runs
             a __del__ while an argument is being rendered (before 3.12)
    dict_eq  a key whose hash collides with "__name__" in a module's
             globals: its __eq__ runs while tracepatch reads the module's
             name, and meets 300 new functions
    dict_eq_thread  the same, but the __eq__ waits for another thread that
             meets them, and the very function being looked up
    type_path  a class namespace key's __eq__ waits for another thread
             while the renderer reads the class's module
    locals   an argument's __repr__ rebinds that very parameter through
             frame.f_locals (which writes through on 3.13)
    attach   a Thread subclass whose name property sleeps while tracepatch
             first meets the thread, as the main thread closes the window
             (SIGUSR1 twice)

Prints what the app computes, then "done"."""
import gc
import os
import signal
import sys
import threading
import time


def f(i):
    return i


def g(s, t):
    return 1


class Cycle:
    def __del__(self):
        f("from __del__")


def gc_mode():
    sets = ({1}, {2}, {3}, {4})
    g(sets, "warm-up")
    gc.disable()
    a = Cycle()
    a.me = a
    del a
    gc.set_threshold(1, 1, 1)
    gc.enable()
    g(sets, "x")
    gc.set_threshold(700)


armed = False


class CollidesWithName:
    def __hash__(self):
        return hash("__name__")

    def __eq__(self, other):
        global armed
        if armed:
            armed = False
            for i in range(300):
                exec("def h%d(x):\n    return x\nh%d(%d)\n" % (i, i, i), {})
        return False


def dict_eq_mode():
    module_globals = {CollidesWithName(): 1, "__name__": "evilmod"}
    exec("def target(a, b):\n    return a + b\n", module_globals)
    global armed
    armed = True
    print(module_globals["target"](1, 2))


class SleepsInEq(CollidesWithName):
    """While one thread reads the module's name, its key's __eq__ lets the
    other thread run, which meets 300 new functions and `target` itself."""
    __hash__ = CollidesWithName.__hash__

    def __eq__(self, other):
        global armed
        if armed and threading.current_thread() is threading.main_thread():
            armed = False
            helper = threading.Thread(target=meet_many_and_target)
            helper.start()
            helper.join()
        return False


def meet_many_and_target():
    for i in range(300):
        exec("def k%d(x):\n    return x\nk%d(%d)\n" % (i, i, i), {})
    print(shared_globals["target"](3, 4))


shared_globals = {}


def dict_eq_thread_mode():
    shared_globals.update({SleepsInEq(): 1, "__name__": "evilmod"})
    exec("def target(a, b):\n    return a + b\n", shared_globals)
    global armed
    armed = True
    print(shared_globals["target"](1, 2))


class WaitsForOthers:
    """A class namespace key that collides with "__module__": while one
    thread reads a class's module, the other renders 300 other classes'
    instances, which take the place the renderer kept the class's path in."""

    def __hash__(self):
        return hash("__module__")

    def __eq__(self, other):
        global armed
        if armed and threading.current_thread() is threading.main_thread():
            armed = False
            helper = threading.Thread(target=lambda: [h(c()) for c in OTHER_CLASSES])
            helper.start()
            helper.join()
        return False


OTHER_CLASSES = [type("Other%d" % i, (), {}) for i in range(300)]


def h(x):
    return 1


def type_path_mode():
    global armed
    cls = type("Kept", (), {WaitsForOthers(): 1, "__module__": "__main__", "__qualname__": "Kept"})
    kept = cls()
    h(kept)
    cls.changed = 1   # a new type version: the next rendering reads __module__ again
    armed = True
    h(kept)
    h(kept)


class Rebinds:
    def __repr__(self):
        frame = sys._getframe(1)
        if frame.f_code.co_name == "work" and frame.f_locals.get("a") is not None:
            frame.f_locals["a"] = None
        return "Rebinds()"


def work(a):
    return 1


def locals_mode():
    work([Rebinds(), 1, [2, 3], "abc" * 10])


class SlowName(threading.Thread):
    @property
    def _name(self):
        global armed
        if armed and threading.get_ident() == self.ident:
            armed = False
            time.sleep(0.3)
        return self.__dict__.get("_n", "worker")

    @_name.setter
    def _name(self, value):
        self.__dict__["_n"] = value


def attach_mode():
    global armed
    stop = []

    def loop():
        while not stop:
            f(1)
            time.sleep(0.001)

    t = SlowName(target=loop)
    t.start()
    time.sleep(0.1)
    armed = True
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.1)
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.1)
    for i in range(100):
        f(i)
    time.sleep(0.5)
    stop.append(1)
    t.join()


{"gc": gc_mode, "dict_eq": dict_eq_mode, "dict_eq_thread": dict_eq_thread_mode,
 "type_path": type_path_mode, "locals": locals_mode, "attach": attach_mode}[sys.argv[1]]()
print("done")
