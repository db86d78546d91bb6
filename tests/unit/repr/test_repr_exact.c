/* Values rendered in C must be byte for byte what Python's repr() prints. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdlib.h>
#include <string.h>

#include "repr_inline.h"
#include "repr_test_util.h"

TestSuite(repr_exact, .init = repr_test_python_start, .fini = repr_test_python_stop);

/* Compares tp_repr (unlimited) with repr() for every item of a list. */
static void assert_all_match_python(PyObject *list)
{
    cr_assert(PyList_Check(list));
    Py_ssize_t n = PyList_GET_SIZE(list);
    size_t mismatches = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyList_GET_ITEM(list, i);
        char *want = python_repr(v);
        cr_assert_not_null(want, "repr() of item %zd raised", i);
        char *got = render(v, 0, false);
        if (strcmp(want, got) != 0 && mismatches++ < 5)
            cr_log_error("item %zd:\n  python: %.300s\n  tp_repr: %.300s", i, want, got);
        free(want);
        free(got);
    }
    cr_assert_eq(mismatches, 0, "%zu of %zd values differ from repr()", mismatches, n);
}

/* The same for the list a Python expression makes, of at least `at_least`
 * items (so a typo in the expression cannot pass with nothing compared). */
static void assert_expr_matches_python(const char *expr, Py_ssize_t at_least)
{
    PyObject *list = eval_python(expr);
    cr_assert_geq(PyList_GET_SIZE(list), at_least, "%s", expr);
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, generated_values_match_python)
{
    const char *seeds[] = {"values.generate(1, 4000)", "values.generate(2, 4000)",
                           "values.generate(3, 4000)"};
    for (size_t i = 0; i < 3; i++) {
        PyObject *list = eval_python(seeds[i]);
        cr_assert_gt(PyList_GET_SIZE(list), 4000);
        assert_all_match_python(list);
        Py_DECREF(list);
    }
}

Test(repr_exact, every_code_point_matches_python)
{
    /* 0x110000 code points in strings of 64, so each escape rule and the
     * printable table are compared for every character there is. */
    PyObject *list = eval_python("[''.join(map(chr, range(i, i + 64))) for i in range(0, 0x110000, 64)]");
    assert_all_match_python(list);
    Py_DECREF(list);
    PyObject *singles = eval_python("[chr(c) for c in range(0x3000)] + [chr(c) * 2 for c in range(0xd7f0, 0xe010)]");
    assert_all_match_python(singles);
    Py_DECREF(singles);
}

/* Latin-1 strs are scanned eight bytes at a time (core/repr_str.c): every
 * byte that needs care, at every offset of a word, and first and last in
 * strs of every length, with either quote chosen. */
Test(repr_exact, special_bytes_at_every_offset_match_python)
{
    assert_expr_matches_python(
        "[q + s for specials in [(0, 9, 10, 0x1f, 0x20, 0x22, 0x27, 0x5c, 0x7e, 0x7f, 0x80, 0x9f,"
        "   0xa0, 0xad, 0xff)]"
        " for q in ('', \"'\", '\"', \"'\\\"\")"
        " for s in ['a' * i + chr(c) + 'b' * 17 for i in range(17) for c in specials]"
        "        + ['b' * j + chr(c) for j in range(1, 20) for c in specials]"
        "        + [chr(c) + 'b' * j for j in range(8) for c in specials]"
        /* the 16-byte blocks of repr_str.c: every offset of strs up to 70 */
        "        + ['a' * i + chr(c) + 'b' * j for i in range(40)"
        "           for j in (0, 1, 7, 8, 15, 16, 17, 30) for c in specials]]",
        4 * (17 + 19 + 8 + 40 * 8) * 15);
}

Test(repr_exact, quote_choice_matches_python)
{
    PyObject *list = eval_python(
        "[a + b + c for a in ('', \"'\", '\"', 'x') for b in ('', \"'\", '\"', '\\\\')"
        " for c in ('', \"'\", '\"', '\\xe9', '\\u20ac', '\\U0001f600')]"
        " + [(a + b + c).encode('latin-1', 'replace') for a in ('', \"'\", '\"')"
        " for b in ('', \"'\", '\"', '\\\\') for c in ('', \"'\", '\"', '\\xff')]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, every_byte_matches_python)
{
    PyObject *list = eval_python("[bytes([b]) for b in range(256)] + [bytes([b, 39, b, 34]) for b in range(256)]"
                                 " + [bytes(range(256))]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, int_boundaries_match_python)
{
    PyObject *list = eval_python(
        "[s * (2**k + d) for k in range(0, 140) for d in (-1, 0, 1) for s in (1, -1)]"
        " + [10**k + d for k in range(0, 60) for d in (-1, 0, 1)]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, float_specials_match_python)
{
    PyObject *list = eval_python(
        "[float(x) for x in ('inf', '-inf', 'nan', '-nan', '-0.0', '0.0', '1e16', '1e15', '9999999999999998',"
        " '1e-4', '1e-5', '5e-324', '-5e-324', '2.2250738585072009e-308', '1.7976931348623157e308',"
        " '0.1', '0.30000000000000004', '123456789012345678', '1e22', '1e23')]"
        " + [2.0 ** k for k in range(-1074, 1024, 7)] + [-(2.0 ** k) / 3 for k in range(-1000, 1000, 11)]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

/* Ints around the one-digit fast path (compat/api.h: |v| < 2^30) and the
 * 64-bit one. */
Test(repr_exact, ints_match_python)
{
    PyObject *list = eval_python(
        "[s * (b + d) for s in (1, -1) for b in (0, 2 ** 15, 2 ** 30, 2 ** 31, 2 ** 60, 2 ** 63, 2 ** 64)"
        " for d in (-2, -1, 0, 1, 2)] + list(range(-300, 300)) + [True, False]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

/* Positional floats without dtoa (core/float_text.c): short decimals, the
 * edges of the range (1e-4, 1e16), and doubles from random bit patterns,
 * where most need 16-17 digits. */
Test(repr_exact, short_decimals_match_python)
{
    assert_expr_matches_python(
        "[round(x / 10 ** k, k) for k in range(1, 9) for x in range(-30000, 30000, 7)]"
        " + [round(r.uniform(-1e9, 1e9), r.randrange(8)) for r in [__import__('random').Random(5)]"
        "    for _ in range(20000)]"
        " + [0.1 + 0.2, 1e-4, 0.000099, 9.9999995, 999999999.999999, 999999999.9999999, 1e9 - 0.5,"
        "    1e9 + 0.5, 123456.789012, -0.0001, 0.00011, 2.675, 1.0000005, 0.9999995, 1 / 3]",
        60000);
}

/* float_text.c's few-places path: decimals of 1 to 9 places up to 1.3e7 and 1e9
 * (past its 2^50 / 10^8 bound), their neighbours (which need 16-17 digits and
 * must be turned down), and the doubles around the bound itself. */
Test(repr_exact, few_place_decimals_and_neighbours_match_python)
{
    assert_expr_matches_python(
        "[s * f(round(r.uniform(0, r.choice((1.3e7, 1e9))), r.randrange(1, 10)))"
        " for r in [__import__('random').Random(7)] for m in [__import__('math')]"
        " for _ in range(20000) for s in (1, -1)"
        " for f in (lambda y: y, lambda y: m.nextafter(y, 0), lambda y: m.nextafter(y, 1e300))]"
        " + [b + j * d for b in [2.0 ** 50 / 1e8] for d in (1e-8, 1e-7, 0.5e-8) for j in range(-50, 50)]",
        120000);
}

Test(repr_exact, random_doubles_match_python)
{
    /* Bit patterns with exponents from 2^-15 to 2^54, both signs; each
     * with its neighbours, so even and odd significands both occur. */
    assert_expr_matches_python(
        "[x for r in [__import__('random').Random(11)] for st in [__import__('struct')]"
        " for _ in range(60000)"
        " for b in [((r.randrange(1008, 1078) << 52) | r.getrandbits(52) | (r.getrandbits(1) << 63))]"
        " for x in st.unpack('<3d', st.pack('<3Q', b - 1, b, b + 1))]",
        180000);
}

Test(repr_exact, float_edges_match_python)
{
    /* Powers of two (the narrower lower half-gap), the doubles around the
     * range's ends and around short decimals, sums that need 17 digits, and
     * doubles halfway between two equally short decimals. */
    assert_expr_matches_python(
        "[s * f(x) for m in [__import__('math')] for s in (1, -1)"
        " for f in (lambda x: x, lambda x: m.nextafter(x, 0), lambda x: m.nextafter(x, 2e16))"
        " for x in [2.0 ** k for k in range(-14, 54)] + [1e-4, 1e16, 1e15, 2.0 ** 53, 0.5, 0.25,"
        "   0.1, 0.2, 0.3, 0.7, 1.1, 2.675, 1.005, 0.125, 5e-4, 5.5e-4]"
        "   + [i / 10 ** k for k in range(1, 17) for i in (1, 3, 5, 7, 9, 11, 99, 101)]]"
        " + [sum([0.1] * n) for n in range(1, 500)] + [i * 1.1 for i in range(1, 2000)]"
        /* two shortest decimals equally near: 2^50 + 0.25 prints ...4.2 */
        " + [2.0 ** (52 + e) + j * 2.0 ** e for e in range(-1, -9, -1) for j in range(1, 64)]",
        4000);
}

/* core/repr_object.c keeps the "module.qualname" text of recent classes:
 * renaming a class, moving it to another module, and 100 classes through
 * its 32 slots must all still print what repr() prints. */
Test(repr_exact, class_paths_follow_renames)
{
    run_python("class Kept: pass\n"
               "kept = Kept()\n"
               "many = [type('C%d' % i, (), {})() for i in range(100)]\n");
    PyObject *kept = eval_python("[kept]");
    const char *renames[] = {"Kept.__qualname__ = 'Outer.Renamed'\n", "Kept.n = 1\n",
                             "Kept.__module__ = 'elsewhere'\n",
                             "Kept.__module__ = 'b\\xe9ta'\n" /* not ASCII: not kept */};
    for (size_t i = 0; i <= sizeof renames / sizeof *renames; i++) {
        if (i > 0)
            run_python(renames[i - 1]);
        assert_all_match_python(kept);   /* inside a list: the render machinery */
        char *alone = render(PyList_GET_ITEM(kept, 0), 0, false);   /* the fast path */
        char *want = python_repr(PyList_GET_ITEM(kept, 0));
        cr_assert_str_eq(alone, want, "after %s", i ? renames[i - 1] : "nothing");
        free(alone);
        free(want);
    }
    Py_DECREF(kept);
    PyObject *many = eval_python("many + many[::-1] + many");
    assert_all_match_python(many);
    Py_DECREF(many);
    PyObject *renamed = eval_python("[setattr(type(o), '__qualname__', 'R' + type(o).__name__) or o"
                                    " for o in many]");
    assert_all_match_python(renamed);
    Py_DECREF(renamed);
}

/* core/repr_inline.h, the recording path's tp_repr: None and ints 0..99
 * written inline, floats deferred, the other kinds dispatched without
 * tp_repr. Whatever it writes, with its deferred floats written out, must
 * be what tp_repr writes, at every max_repr, for values of every kind it
 * tells apart and those it must not take (bools are ints, subclasses are
 * not exact, 100 and negatives are not 0..99, whole floats and floats
 * outside 1e-4..1e16 are not deferred, a limit below 23 could cut one). */
Test(repr_exact, recording_path_values_match_tp_repr)
{
    PyObject *list = eval_python(
        "[None, True, False, 0.0, 1.5, -2.25, 1e300, '1', 'it\\'s', 'x' * 300, -1, -100, 100,"
        " 1000, 2 ** 40, 2 ** 100, [], {'a': 1}, (None,), object(), b'b', len,"
        " 0.5, -0.30000000000000004, -0.00012345678901234567, 1e-4, 9.999999999999999e-05,"
        " 9999999999999998.0, 999999999999999.9, -1e16, 0.9999999999999999, 3.0, -0.0,"
        " float('nan'), float('-inf'), 5e-324,"
        " (c := type('C', (), {})(), hasattr(c, 'x'))[0],"   /* a lookup: a type version */
        " (c := type('Long' * 10, (), {'__module__': 'm' * 40})(), hasattr(c, 'x'))[0]]"
        " + list(range(100)) + [type('I', (int,), {})(5), type('S', (str,), {})('s'),"
        " type('F', (float,), {})(2.5)]");
    const size_t maxes[] = {0, 1, 2, 3, 4, 5, 6, 12, 21, 22, 23, 24, 120};
    size_t deferred = 0;
    tp_buf prefixes = TP_BUF_INIT;
    for (int round = 0; round < 2; round++)   /* the second: classes kept */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *v = PyList_GET_ITEM(list, i);
        for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
            /* a window's gen names its store and its max_repr */
            tp_repr_opts opts = {.max_chars = maxes[k], .object_prefixes = &prefixes,
                                 .object_prefixes_gen = k + 1};
            tp_buf kept = TP_BUF_INIT, got = TP_BUF_INIT;
            tp_buf_puts(&kept, "");
            tp_repr_value(v, &opts, &kept);
            size_t plain_len;
            deferred += tp_deferred_any(tp_buf_cstr(&kept), &plain_len);
            tp_buf_puts(&got, "");
            tp_deferred_expand(tp_buf_cstr(&kept), &prefixes, &got);
            char *want = render(v, maxes[k], false);
            cr_assert_str_eq(tp_buf_cstr(&got), want, "item %zd, max_repr %zu", i, maxes[k]);
            free(want);
            tp_buf_free(&kept);
            tp_buf_free(&got);
        }
    }
    /* 1.5, -2.25, 0.5, -0.3..4, -0.000123..., 1e-4, 999999999999999.9 and
     * 0.99...9, each at max_repr 0, 23, 24 and 120, in both rounds; the
     * instances of C and of the long class at max_repr 0 and 120 once
     * their class is kept (the first time, at max_repr 0, it is written at
     * once) */
    cr_assert_eq(deferred, 2 * 8 * 4 + 2 * 3, "%zu values deferred", deferred);
    tp_buf_free(&prefixes);
    Py_DECREF(list);
}

/* A class renamed while a window records: the objects recorded before
 * print with the old name, those after with the new one, as repr() did
 * at each time; a new window (another gen) stores the prefix again. The
 * first object of a class, and the first after the rename, are written at
 * once (their class is not kept yet); the others are deferred. Last, the
 * class gets a __repr__, and its path is written again (the class itself
 * as a value), which brings the kept entry up to the class's new version:
 * its instance must not be deferred any more. */
Test(repr_exact, deferred_objects_keep_the_name_they_had)
{
    run_python("class Kept: pass\n"
               "kept = Kept()\n"
               "hasattr(kept, 'x')\n");   /* a lookup: a type version */
    PyObject *main = PyImport_AddModule("__main__");
    PyObject *kept = PyObject_GetAttrString(main, "kept");
    cr_assert_not_null(kept);
    tp_buf prefixes = TP_BUF_INIT, texts = TP_BUF_INIT;
    size_t account = 0;
    tp_repr_opts opts = {.max_chars = 0, .object_prefixes = &prefixes, .object_prefixes_gen = 7,
                         .object_prefixes_account = &account};
    enum { N = 7 };
    const bool deferred[N] = {false, true, false, true, true, true, false};
    char *want[N];
    size_t starts[N];
    for (int i = 0; i < N; i++) {
        if (i == 2)
            run_python("Kept.__qualname__ = 'Renamed'\n"
                       "hasattr(kept, 'x')\n");
        if (i == 4)
            opts.object_prefixes_gen = 8;
        if (i == 6) {
            run_python("Kept.__repr__ = lambda self: 'custom'\n"
                       "hasattr(kept, 'x')\n");
            PyObject *cls = PyObject_GetAttrString(main, "Kept");
            tp_buf class_text = TP_BUF_INIT;
            tp_repr_value(cls, &opts, &class_text);
            cr_assert_str_eq(tp_buf_cstr(&class_text), "<class '__main__.Renamed'>");
            tp_buf_free(&class_text);
            Py_DECREF(cls);
        }
        want[i] = python_repr(kept);
        starts[i] = texts.len;
        tp_repr_value(kept, &opts, &texts);
        tp_buf_append(&texts, "", 1);
    }
    for (int i = 0; i < N; i++) {
        cr_assert_eq(texts.data[starts[i]] == TP_DEFERRED, deferred[i], "object %d", i);
        tp_buf got = TP_BUF_INIT;
        tp_buf_puts(&got, "");
        tp_deferred_expand(texts.data + starts[i], &prefixes, &got);
        cr_assert_str_eq(tp_buf_cstr(&got), want[i], "object %d", i);
        tp_buf_free(&got);
        free(want[i]);
    }
    /* Kept's prefix, Renamed's, and Renamed's again for the new gen (once) */
    cr_assert_eq(prefixes.len, sizeof "<__main__.Kept object at 0x" +
                                   2 * sizeof "<__main__.Renamed object at 0x");
    cr_assert_eq(account, prefixes.len, "the store counts toward max_memory_mb");
    tp_buf_free(&texts);
    tp_buf_free(&prefixes);
    Py_DECREF(kept);
}

Test(repr_exact, containers_match_python)
{
    PyObject *list = eval_python(
        "[[], (), {}, set(), frozenset(), (1,), ((),), [[[]]], {1: {}}, {(): frozenset()},"
        " {frozenset({1}): (2,)}, frozenset({1, 2}), {1, 'a', b'b', None, (1,)},"
        " {'k': [1, 2.5, 'x', b'y', None, True, {'n': ()}]}] + values.recursive_values()");
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, classes_and_functions_match_python)
{
    run_python("class Meta(type): pass\n"
               "class WithMeta(metaclass=Meta): pass\n"
               "def outer():\n"
               "    def inner(): pass\n"
               "    return inner\n"
               "class Renamed: pass\n"
               "Renamed.__qualname__ = 'Other.Name'\n"
               "Renamed.__module__ = 'elsewhere'\n"
               "class NoModule: pass\n"
               "NoModule.__module__ = 5\n");
    PyObject *list = eval_python(
        "[int, type, object, values.Plain, values.Plain.Inner, WithMeta, Meta, Renamed, NoModule,"
        " outer, outer(), lambda: 1, values.Plain.method, len, [int, (str,)], {'f': outer},"
        " __import__('collections').OrderedDict, __import__('decimal').Decimal]");
    assert_all_match_python(list);
    Py_DECREF(list);
}

Test(repr_exact, other_objects_use_their_own_repr)
{
    PyObject *list = eval_python(
        "[values.Plain(), complex(1, -2), range(5), bytearray(b\"'x\\x00\"), __import__('decimal').Decimal('1.5'),"
        " __import__('collections').OrderedDict(a=1), [__import__('datetime').date(2024, 1, 2)],"
        " True.__class__, Ellipsis, NotImplemented, slice(1, None, 'x')]");
    assert_all_match_python(list);
    Py_DECREF(list);
}
