/* Objects rendered through their own __repr__: failures are contained, the
 * guard is up while user code runs, and the caller's exception survives. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "main_thread.h"
#include "repr_test_util.h"

static void define_classes(void)
{
    repr_test_python_start();
    run_python(
        "class Raises:\n"
        "    def __repr__(self): raise ValueError('boom')\n"
        "class CustomError(Exception): pass\n"
        "class RaisesCustom:\n"
        "    def __repr__(self): raise CustomError()\n"
        "class NonStr:\n"
        "    def __repr__(self): return 42\n"
        "class Forever:\n"
        "    def __repr__(self): return repr(self)\n"
        "seen_guard = []\n"
        "def traced_helper(x):\n"
        "    seen_guard.append(guard_active())\n"
        "    return x * 2\n"
        "class CallsBack:\n"
        "    def __repr__(self): return 'CB(%d)' % traced_helper(21)\n"
        "class Interrupts:\n"
        "    def __repr__(self): raise KeyboardInterrupt\n"
        "class Exits:\n"
        "    def __repr__(self): raise SystemExit(7)\n"
        "import signal\n"
        "def on_usr2(signo, frame): raise SystemExit(8)\n"
        "signal.signal(signal.SIGUSR2, on_usr2)\n"
        "class HandlerExits:\n"
        "    def __repr__(self): on_usr2(signal.SIGUSR2, None)\n"
        "class ReprsOuter:\n"
        "    def __repr__(self): return 'R' + repr(self.outer)\n"
        "class Shrinks:\n"
        "    def __init__(self, target): self.target = target\n"
        "    def __repr__(self): self.target.clear(); return 'S'\n"
        "deleted_under_guard = []\n"
        "class RemovesItself:\n"
        "    def __init__(self, home): self.home = home\n"
        "    def __repr__(self): self.home.clear(); return 'gone'\n"
        "    def __del__(self): deleted_under_guard.append(guard_active())\n"
        "class StrSub(str): pass\n"
        "class ReturnsStrSub:\n"
        "    def __repr__(self): return StrSub('sub')\n"
        "class ReturnsSurrogate:\n"
        "    def __repr__(self): return 'a\\ud800b'\n"
        "def nest(depth):\n"
        "    v = []\n"
        "    for _ in range(depth): v = [v]\n"
        "    return v\n");
}

TestSuite(repr_user, .init = define_classes, .fini = repr_test_python_stop);

static void assert_renders(const char *expr, const char *expected)
{
    PyObject *v = eval_python(expr);
    char *out = render(v, 0, false);
    cr_assert_str_eq(out, expected, "%s", expr);
    cr_assert_null(PyErr_Occurred(), "%s left an exception set", expr);
    cr_assert(!tp_guard_active());
    free(out);
    Py_DECREF(v);
}

static void assert_renders_as_python(const char *expr)
{
    PyObject *a = eval_python(expr), *b = eval_python(expr);
    char *want = python_repr(a);
    cr_assert_not_null(want);
    char *got = render(b, 0, false);
    cr_assert_str_eq(got, want, "%s", expr);
    free(want);
    free(got);
    Py_DECREF(a);
    Py_DECREF(b);
}

Test(repr_user, raising_repr_is_contained)
{
    assert_renders("Raises()", "<repr failed: ValueError>");
    assert_renders("RaisesCustom()", "<repr failed: CustomError>");
    assert_renders("[1, Raises(), 2]", "[1, <repr failed: ValueError>, 2]");
    assert_renders("{'k': Raises()}", "{'k': <repr failed: ValueError>}");
}

Test(repr_user, non_str_result_is_a_type_error)
{
    assert_renders("NonStr()", "<repr failed: TypeError>");
}

Test(repr_user, infinite_recursion_is_a_recursion_error)
{
    assert_renders("Forever()", "<repr failed: RecursionError>");
    assert_renders("(Forever(), 1)", "(<repr failed: RecursionError>, 1)");
}

Test(repr_user, user_code_runs_under_the_guard)
{
    assert_renders("CallsBack()", "CB(42)");
    PyObject *seen = eval_python("seen_guard");
    cr_assert_eq(PyList_GET_SIZE(seen), 1);
    cr_assert_eq(PyList_GET_ITEM(seen, 0), Py_True, "the guard was down during __repr__");
    Py_DECREF(seen);
}

Test(repr_user, str_subclass_result_is_accepted)
{
    assert_renders("ReturnsStrSub()", "sub");
}

Test(repr_user, lone_surrogate_in_result_becomes_replacement_char)
{
    assert_renders("ReturnsSurrogate()", "a\xEF\xBF\xBD" "b");
}

Test(repr_user, container_mutated_by_a_repr_renders_like_python)
{
    run_python("def shrinking():\n"
               "    l = [1]\n"
               "    l += [Shrinks(l), 2, 3]\n"
               "    return l\n");
    assert_renders_as_python("shrinking()");
}

Test(repr_user, item_freed_by_its_own_repr_dies_under_the_guard)
{
    run_python("home = []\nhome.append(RemovesItself(home))\n");
    PyObject *home = eval_python("home");
    run_python("del home\n");
    char *out = render(home, 0, false);
    cr_assert_str_eq(out, "[gone]");
    free(out);
    PyObject *flags = eval_python("deleted_under_guard");
    cr_assert_eq(PyList_GET_SIZE(flags), 1, "the item was not freed during the render");
    cr_assert_eq(PyList_GET_ITEM(flags, 0), Py_True);
    Py_DECREF(flags);
    Py_DECREF(home);
}

Test(repr_user, user_repr_of_an_enclosing_container_prints_dots_like_python)
{
    run_python("def in_list():\n"
               "    r = ReprsOuter(); r.outer = [1, r]; return r.outer\n"
               "def in_dict():\n"
               "    r = ReprsOuter(); r.outer = {'k': r}; return r.outer\n"
               "def in_set():\n"
               "    r = ReprsOuter(); r.outer = {r}; return r.outer\n"
               "def in_tuple_in_list():\n"
               "    r = ReprsOuter(); l = [r]; r.outer = (l,); return r.outer\n");
    const char *exprs[] = {"in_list()", "in_dict()", "in_set()", "in_tuple_in_list()"};
    for (size_t i = 0; i < 4; i++)
        assert_renders_as_python(exprs[i]);
    assert_renders("in_list()", "[1, R[...]]");
    /* Python's own repr state is clean afterwards: a later repr is normal */
    assert_renders_as_python("[in_list()]");
}

/* The exception objects pending before and after must be the same ones. */
static void assert_pending_error_survives(const char *expr, bool exception_api)
{
    PyObject *v = eval_python(expr);
    PyErr_SetString(PyExc_KeyError, "pending");
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_Restore(type, value, tb);
    tp_buf out = TP_BUF_INIT;
    tp_repr_opts opts = {.max_chars = 50};
    if (exception_api)
        tp_repr_exception(v, &opts, &out);
    else
        tp_repr(v, &opts, &out);
    cr_assert(out.len > 0);
    PyObject *type2, *value2, *tb2;
    PyErr_Fetch(&type2, &value2, &tb2);
    cr_assert_eq(type2, type, "%s: pending exception type changed", expr);
    cr_assert_eq(value2, value, "%s: pending exception value changed", expr);
    cr_assert_eq(tb2, tb);
    Py_XDECREF(type2);
    Py_XDECREF(value2);
    Py_XDECREF(tb2);
    tp_buf_free(&out);
    Py_DECREF(v);
}

Test(repr_user, pending_exception_is_preserved)
{
    const char *exprs[] = {"1", "'s'", "10**30", "10**6000", "1.5", "[Raises()]", "NonStr()",
                           "Forever()", "CallsBack()", "{'a': Raises()}", "{Raises()}"};
    for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++)
        assert_pending_error_survives(exprs[i], false);
    assert_pending_error_survives("ValueError('x')", true);
    run_python("class BadStr(Exception):\n    def __str__(self): raise RuntimeError\n");
    assert_pending_error_survives("BadStr()", true);
}

/* Off the main thread (as here, before tp_main_thread_set) Ctrl-C is
 * simulated again: the app's SIGINT handler runs at its next safe point. */
Test(repr_user, keyboard_interrupt_off_the_main_thread_is_simulated_again)
{
    assert_renders("Interrupts()", "<repr failed: KeyboardInterrupt>");
    cr_assert_eq(PyErr_CheckSignals(), -1, "the interrupt was swallowed");
    cr_assert(PyErr_ExceptionMatches(PyExc_KeyboardInterrupt));
    PyErr_Clear();
}

/* On the main thread, KeyboardInterrupt and what a signal handler raised
 * are the app's: the same objects are raised again by a pending call,
 * oldest first. A repr's own failure is not, whatever its class. */
Test(repr_user, the_apps_exceptions_reach_the_app_in_order)
{
    tp_main_thread_set();
    /* Made first: any bytecode run after a render raises what it kept. */
    const char *exprs[] = {"HandlerExits()", "Raises()", "Exits()", "Interrupts()"};
    const char *texts[] = {"<repr failed: SystemExit>", "<repr failed: ValueError>",
                           "<repr failed: SystemExit>", "<repr failed: KeyboardInterrupt>"};
    PyObject *values[4];
    for (int i = 0; i < 4; i++)
        values[i] = eval_python(exprs[i]);
    for (int i = 0; i < 4; i++) {
        char *out = render(values[i], 0, false);
        cr_assert_str_eq(out, texts[i]);
        cr_assert_null(PyErr_Occurred());
        free(out);
    }
    cr_assert_eq(PyErr_CheckSignals(), 0, "Ctrl-C simulated as well");
    cr_assert_eq(Py_MakePendingCalls(), -1, "the handler's SystemExit was swallowed");
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    cr_assert(PyErr_GivenExceptionMatches(type, PyExc_SystemExit));
    PyObject *code = PyObject_GetAttrString(value, "code");
    cr_assert(code && PyLong_AsLong(code) == 8, "not the handler's SystemExit");
    Py_XDECREF(code);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    cr_assert_eq(Py_MakePendingCalls(), -1, "KeyboardInterrupt was swallowed");
    cr_assert(PyErr_ExceptionMatches(PyExc_KeyboardInterrupt));
    PyErr_Clear();
    cr_assert_eq(Py_MakePendingCalls(), 0, "only those two");
    for (int i = 0; i < 4; i++)
        Py_DECREF(values[i]);
}

Test(repr_user, null_object)
{
    char *out = render(NULL, 0, false);
    cr_assert_str_eq(out, "<NULL>");
    free(out);
}

Test(repr_user, too_deep_nesting_fails_like_python)
{
    assert_renders("nest(2000)", "<repr failed: RecursionError>");
    PyObject *v = eval_python("nest(2000)");
    char *cut = render(v, 120, false);   /* the cut comes first: no failure */
    cr_assert_eq(count_code_points(cut), 120);
    cr_assert_eq(strncmp(cut, "[[[[", 4), 0);
    free(cut);
    Py_DECREF(v);
    assert_renders_as_python("nest(100)");
}

Test(repr_user, ints_too_big_for_decimal_say_their_size)
{
    run_python("huge = 10**6000\n");
    PyObject *bits = eval_python("'<int of %d bits>' % huge.bit_length()");
    const char *expected = PyUnicode_AsUTF8(bits);
    cr_assert_not_null(expected);
    assert_renders("huge", expected);
    Py_DECREF(bits);
    bits = eval_python("'<negative int of %d bits>' % huge.bit_length()");
    expected = PyUnicode_AsUTF8(bits);
    cr_assert_not_null(expected);
    assert_renders("-huge", expected);
    Py_DECREF(bits);
    run_python("import sys; sys.set_int_max_str_digits(0)\n");
    assert_renders_as_python("10**4500");   /* allowed by the app: printed in full */
    run_python("sys.set_int_max_str_digits(4300)\n");
}

static void assert_exception_text(const char *expr, const char *expected)
{
    PyObject *e = eval_python(expr);
    char *out = render_exception(e, 0, false);
    cr_assert_str_eq(out, expected, "%s", expr);
    cr_assert_null(PyErr_Occurred());
    free(out);
    Py_DECREF(e);
}

Test(repr_user, exception_text)
{
    run_python("class BadStr(Exception):\n    def __str__(self): raise RuntimeError\n"
               "class Outer:\n    class Nested(Exception): pass\n");
    assert_exception_text("ValueError('bad value')", "ValueError: bad value");
    assert_exception_text("ValueError()", "ValueError");
    assert_exception_text("ValueError", "ValueError");
    assert_exception_text("KeyError('k')", "KeyError: 'k'");
    assert_exception_text("BadStr()", "BadStr: <str failed: RuntimeError>");
    assert_exception_text("Outer.Nested('x')", "Nested: x");
    assert_exception_text("__import__('json').JSONDecodeError('m', 'doc', 1)",
                          "JSONDecodeError: m: line 1 column 2 (char 1)");
}

Test(repr_user, exception_text_matches_python_format)
{
    PyObject *list = eval_python(
        "[OSError(2, 'No such file'), UnicodeDecodeError('utf-8', b'\\xff', 0, 1, 'bad'),"
        " StopIteration(3), SystemExit(1), Exception('a', 'b'), Exception('\\u20ac\\n'),"
        " ZeroDivisionError('division by zero'), KeyError()]");
    PyObject *want = eval_python("[f'{type(e).__name__}: {e}' if str(e) else type(e).__name__ for e in "
                                 "[OSError(2, 'No such file'), UnicodeDecodeError('utf-8', b'\\xff', 0, 1, 'bad'),"
                                 " StopIteration(3), SystemExit(1), Exception('a', 'b'), Exception('\\u20ac\\n'),"
                                 " ZeroDivisionError('division by zero'), KeyError()]]");
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        char *out = render_exception(PyList_GET_ITEM(list, i), 0, false);
        cr_assert_str_eq(out, PyUnicode_AsUTF8(PyList_GET_ITEM(want, i)));
        free(out);
    }
    Py_DECREF(list);
    Py_DECREF(want);
}

/* What a __repr__ caches on its object (a cached property, or a reify
 * that keeps its own dict in the instance) is taken back: the app computes
 * it when it first asks, as untraced. */
Test(repr_user, what_a_repr_caches_on_its_object_is_taken_back)
{
    run_python("import functools\n"
               "class Lazy:\n"
               "    def __init__(self):\n"
               "        self._cache = {}\n"
               "        self.ready = False\n"
               "    @functools.cached_property\n"
               "    def size(self):\n"
               "        return 1 if self.ready else None\n"
               "    @property\n"
               "    def kept(self):\n"
               "        return self._cache.setdefault('kept', self.ready)\n"
               "    def __repr__(self):\n"
               "        return 'Lazy(%r, %r)' % (self.size, self.kept)\n"
               "    def method(self):\n"
               "        pass\n"
               "class Changes(Lazy):\n"
               "    def __repr__(self):\n"
               "        self.ready = 'by repr'\n"
               "        return 'Changes'\n"
               "class CachesThenFails(Lazy):\n"
               "    def __repr__(self):\n"
               "        self.size\n"
               "        raise ValueError\n"
               "lazy, changes, fails = Lazy(), Changes(), CachesThenFails()\n");
    assert_renders("lazy", "Lazy(None, False)");
    assert_renders("[lazy, {'k': lazy}]", "[Lazy(None, False), {'k': Lazy(None, False)}]");
    assert_renders("fails", "<repr failed: ValueError>");
    PyObject *bound = eval_python("lazy.method");
    char *out = render(bound, 0, false);
    cr_assert_eq(strncmp(out, "<bound method Lazy.method of Lazy(None, False)>", 47), 0, "%s", out);
    free(out);
    Py_DECREF(bound);
    PyObject *left = eval_python("(sorted(lazy.__dict__), lazy._cache, sorted(fails.__dict__))");
    char *state = python_repr(left);
    cr_assert_str_eq(state, "(['_cache', 'ready'], {}, ['_cache', 'ready'])");
    free(state);
    Py_DECREF(left);
    run_python("lazy.ready = True\n");
    assert_renders("lazy", "Lazy(1, True)");   /* computed now, as the app sees it */
    /* A key the __repr__ changes stays changed: only additions are undone. */
    assert_renders("changes", "Changes");
    PyObject *ready = eval_python("changes.ready");
    cr_assert_str_eq(PyUnicode_AsUTF8(ready), "by repr");
    Py_DECREF(ready);
}
