/* Kept texts of dicts of scalars (core/repr_memo.c): a dict rendered again
 * prints what a first rendering of the same contents prints, at every cut,
 * under every set of redaction words. (Changes to a dict, an instance's
 * __dict__ and reused addresses: tests/integration/programs/values.py, on
 * every Python.) */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "repr_test_util.h"

TestSuite(repr_memo, .init = repr_test_python_start, .fini = repr_test_python_stop);

/* `expr` rendered once whole (kept, if it may be), then at every limit:
 * each must equal a new copy's first rendering at that limit (a copy is a
 * new dict, so a new version: never found in the memo). */
static void assert_cuts_match_first_renderings(const char *expr)
{
    PyObject *d = eval_python(expr);
    char *whole = render(d, 0, false);
    char *want_whole = python_repr(d);
    cr_assert_str_eq(whole, want_whole);
    size_t n = count_code_points(whole);
    for (size_t limit = 1; limit <= n + 2; limit++) {
        PyObject *copy = PyDict_Copy(d);
        cr_assert_not_null(copy);
        char *want = render(copy, limit, false);
        char *got = render(d, limit, false);
        cr_assert_str_eq(got, want, "%s at limit %zu", expr, limit);
        free(want);
        free(got);
        Py_DECREF(copy);
    }
    free(whole);
    free(want_whole);
    Py_DECREF(d);
}

Test(repr_memo, a_kept_text_is_cut_where_rendering_cuts)
{
    assert_cuts_match_first_renderings("{'sku': 'SKU-0007', 'qty': 2, 'price': 1.25, 'ok': True,"
                                       " 'none': None, 7: -3}");
}

/* A kept text is appended as ASCII, one byte a code point: a dict printing
 * other characters must not be kept, or its cuts would come early. */
Test(repr_memo, a_dict_printing_non_ascii_is_cut_by_code_points)
{
    assert_cuts_match_first_renderings("{'name': '\\xe9t\\xe9 \\u20ac', 'n': 1}");
}

/* Rendered cut first: what was written is not the dict's whole text. */
Test(repr_memo, a_cut_rendering_is_not_kept)
{
    PyObject *d = eval_python("{'alpha': 'beta', 'gamma': 12345}");
    char *cut = render(d, 8, false);
    cr_assert_str_eq(cut, "{'alp...");
    char *whole = render(d, 0, false);
    cr_assert_str_eq(whole, "{'alpha': 'beta', 'gamma': 12345}");
    free(cut);
    free(whole);
    Py_DECREF(d);
}

static char *render_with_words(PyObject *o, const char *const *words, size_t n)
{
    tp_repr_opts opts = {.max_chars = 0};
    tp_repr_opts_set_redact(&opts, words, n);
    return render_opts(o, &opts);
}

/* Each set of words is a new generation: a text kept under one set is not
 * shown under another, nor without words. */
Test(repr_memo, texts_kept_under_other_redaction_words_are_not_used)
{
    PyObject *d = eval_python("{'password': 'hunter2', 'token': 'abc', 'user': 'ann'}");
    const char *const password[] = {"password"};
    const char *const token[] = {"token"};
    char *plain = render(d, 0, false);
    char *hide_password = render_with_words(d, password, 1);
    char *hide_password_again = render_with_words(d, password, 1);
    char *hide_token = render_with_words(d, token, 1);
    char *plain_again = render(d, 0, false);
    cr_assert_str_eq(plain, "{'password': 'hunter2', 'token': 'abc', 'user': 'ann'}");
    cr_assert_str_eq(hide_password, "{'password': '<redacted>', 'token': 'abc', 'user': 'ann'}");
    cr_assert_str_eq(hide_password_again, hide_password);
    cr_assert_str_eq(hide_token, "{'password': 'hunter2', 'token': '<redacted>', 'user': 'ann'}");
    cr_assert_str_eq(plain_again, plain);
    free(plain);
    free(hide_password);
    free(hide_password_again);
    free(hide_token);
    free(plain_again);
    Py_DECREF(d);
}

/* Inside a list, a kept dict is written where the list is: its text is
 * counted toward the list's cut like any other. */
Test(repr_memo, kept_dicts_inside_a_list_are_cut_with_it)
{
    run_python("line = {'sku': 'A-1', 'qty': 2}\nlines = [line, line, line]\n");
    PyObject *lines = eval_python("lines");
    char *whole = render(lines, 0, false);
    char *want = python_repr(lines);
    cr_assert_str_eq(whole, want);
    for (size_t limit = 1; limit <= strlen(want) + 1; limit++) {
        char *got = render(lines, limit, false);
        PyObject *fresh = eval_python("[dict(l) for l in lines]");
        char *first = render(fresh, limit, false);
        cr_assert_str_eq(got, first, "limit %zu", limit);
        free(got);
        free(first);
        Py_DECREF(fresh);
    }
    free(whole);
    free(want);
    Py_DECREF(lines);
}

/* Floats are kept by their bits in a table far smaller than this list:
 * values that share a slot, or share all but a few bits (k + 0.5 for
 * every k differ only in their high bits; neighbours only in the last;
 * 1.1 with each of its last bytes),
 * each print their own repr, on every pass, alone and inside a list. */
Test(repr_memo, floats_kept_by_value_print_their_own_text)
{
    run_python("import math, random\n"
               "rng = random.Random(5)\n"
               "floats = [k + 0.5 for k in range(-700, 700)]\n"
               "floats += [rng.uniform(-1e6, 1e6) for _ in range(1500)]\n"
               "floats += [math.nextafter(f, math.inf) for f in floats[-300:]]\n"
               "floats += [0.1, 0.25, -0.0, 3.0, 1e-7, 1e22, math.inf, math.nan]\n"
               "import struct\n"   /* 1.1 with each last byte: some pairs must share a slot */
               "bits = struct.unpack('<Q', struct.pack('<d', 1.1))[0]\n"
               "floats += [struct.unpack('<d', struct.pack('<Q', bits ^ j))[0] for j in range(256)]\n");
    PyObject *floats = eval_python("floats");
    Py_ssize_t n = PyList_GET_SIZE(floats);
    for (int pass = 0; pass < 3; pass++) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *f = PyList_GET_ITEM(floats, (i * 7 + pass * 13) % n);
            char *got = render(f, 0, false);
            char *want = python_repr(f);
            cr_assert_str_eq(got, want, "pass %d", pass);
            free(got);
            free(want);
        }
    }
    PyObject *pairs = eval_python("[floats[i:i + 2] for i in range(0, len(floats) - 1, 2)]");
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pairs); i++) {
        char *got = render(PyList_GET_ITEM(pairs, i), 0, false);
        char *want = python_repr(PyList_GET_ITEM(pairs, i));
        cr_assert_str_eq(got, want);
        free(got);
        free(want);
    }
    Py_DECREF(pairs);
    Py_DECREF(floats);
}

/* ---- containers kept with their guards (core/repr_memo_guarded.c) ---- */

/* `name` at `limit`, rendered twice (the second may be a kept text): each
 * must print what a deep copy (new objects: nothing kept for them) prints
 * at that limit, or Python's repr when whole. */
static void assert_renders_as_fresh(const char *name, size_t limit, const char *step)
{
    PyObject *o = eval_python(name);
    char expr[256];
    snprintf(expr, sizeof expr, "__import__('copy').deepcopy(%s)", name);
    PyObject *fresh = eval_python(expr);
    char *want = limit ? render(fresh, limit, false) : python_repr(o);
    for (int pass = 0; pass < 2; pass++) {
        char *got = render(o, limit, false);
        cr_assert_str_eq(got, want, "%s after %s, limit %zu, pass %d", name, step, limit, pass);
        free(got);
    }
    free(want);
    Py_DECREF(fresh);
    Py_DECREF(o);
}

/* A record holding lists, tuples and dicts, changed in every way right
 * after it was kept (at the same limit, so that its entry is the one
 * asked): at the top, in a nested list, in a dict in a list, in a tuple
 * held by a dict; and changed back. The record, its list and a new tuple
 * holding it (which may take the last one's address) each time. */
Test(repr_memo, a_kept_container_shows_every_change)
{
    const char *steps[] = {
        "pass",
        "rec['lines'][0]['q'] = 5",
        "rec['lines'].append({'q': 3, 'p': 0.5})",
        "rec['lines'][1] = {'q': 9, 'p': 2.5}",
        "rec['lines'].pop()",
        "rec['lines'].reverse()",
        "rec['lines'][0] = rec['lines'][0]",
        "rec['t'] = (2, 'b')",
        "rec['grid'][0][1] = 3",
        "rec['grid'][1].append(4)",
        "rec['grid'][0] = [0, 3]",
        "rec['grid'][1][:] = [2]",
        "rec['lines'][:] = [{'q': 1, 'p': 1.25}]",
        "del rec['t']",
        "rec['id'] = 2",
    };
    const char *names[] = {"rec", "rec['lines']", "(rec, 5)", "rec['grid']"};
    size_t limits[] = {0, 7, 23, 40, 64};
    for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
        run_python("rec = {'id': 1, 'lines': [{'q': 1, 'p': 1.25}, {'q': 2, 'p': 2.5}],"
                   " 't': (1, 'a'), 'grid': [[0, 1], [2]]}\n");
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
                PyObject *o = eval_python(names[k]);
                free(render(o, limits[l], false));   /* kept, when it may be */
                Py_DECREF(o);
            }
            run_python(steps[i]);
            for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
                assert_renders_as_fresh(names[k], limits[l], steps[i]);
        }
    }
}

/* An item replaced twice between two renderings often lands at the
 * address the first one freed (the allocators reuse the last block
 * freed): a dict says so by its version; a str, a big int, a float or a
 * tuple held by a list cannot, so a list holding one is rendered each
 * time. */
Test(repr_memo, an_item_replaced_at_the_same_address_is_seen)
{
    const char *setups[] = {
        "items = [{'n': -1}]\nnew = lambda i: {'n': i}\n",
        "items = ['s-1']\nnew = lambda i: 's%d' % i\n",
        "items = [10**20]\nnew = lambda i: 10**20 + i\n",
        "items = [0.5]\nnew = lambda i: i + 0.5\n",
        "items = [('t',)]\nnew = lambda i: ('t%d' % i,)\n",
        "items = [[{'n': -1}]]\nnew = lambda i: [{'n': i}]\n",
    };
    for (size_t k = 0; k < sizeof setups / sizeof setups[0]; k++) {
        run_python(setups[k]);
        PyObject *items = eval_python("items");
        for (int i = 0; i < 200; i++) {
            char *first = render(items, 0, false);
            char *again = render(items, 0, false);
            char *want = python_repr(items);
            cr_assert_str_eq(first, want, "%s turn %d", setups[k], i);
            cr_assert_str_eq(again, want, "%s turn %d", setups[k], i);
            free(first);
            free(again);
            free(want);
            char step[64];
            snprintf(step, sizeof step, "items[0] = new(%d)\nitems[0] = new(%d)", 1000 + i, i);
            run_python(step);
        }
        Py_DECREF(items);
    }
}

/* More containers or items than a log takes, a recursive list, redaction
 * words: each rendered again prints what it printed first. */
Test(repr_memo, what_a_log_cannot_hold_is_rendered_each_time)
{
    run_python("many = [{'n': i} for i in range(40)]\n"
               "wide = list(range(100))\n"
               "loop = [1]\nloop.append(loop)\n"
               "secret = {'password': [1], 'user': 'ann'}\n");
    const char *names[] = {"many", "wide", "loop", "secret"};
    const char *changes[] = {"many[30]['n'] = -5", "wide[60] = -1", "loop[0] = 2",
                             "secret['password'].append(2)"};
    const char *const words[] = {"password"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        for (int turn = 0; turn < 2; turn++) {
            PyObject *o = eval_python(names[k]);
            char *got = render(o, 0, false);
            char *again = render(o, 0, false);
            char *hidden = render_with_words(o, words, 1);
            char *want = python_repr(o);
            cr_assert_str_eq(got, want, "%s turn %d", names[k], turn);
            cr_assert_str_eq(again, want, "%s turn %d", names[k], turn);
            if (k == 3)
                cr_assert_str_eq(hidden, "{'password': '<redacted>', 'user': 'ann'}");
            else
                cr_assert_str_eq(hidden, want, "%s turn %d", names[k], turn);
            free(got);
            free(again);
            free(hidden);
            free(want);
            Py_DECREF(o);
            run_python(changes[k]);
        }
    }
}

/* A value freed and another of a different kind made at its address: the
 * entry for the first is not read as the second's. */
Test(repr_memo, a_new_kind_of_container_at_a_kept_address)
{
    run_python("def make(i):\n"
               "    k = i % 3\n"
               "    return {'n': [i]} if k == 0 else [[i], {'n': i}] if k == 1 else ({'n': i}, i)\n");
    for (int i = 0; i < 300; i++) {
        char expr[32];
        snprintf(expr, sizeof expr, "make(%d)", i);
        PyObject *o = eval_python(expr);
        char *first = render(o, 0, false);
        char *again = render(o, 0, false);
        char *want = python_repr(o);
        cr_assert_str_eq(first, want, "turn %d", i);
        cr_assert_str_eq(again, want, "turn %d", i);
        free(first);
        free(again);
        free(want);
        Py_DECREF(o);
    }
}

/* ---- strs kept by their characters (core/repr_memo.c) ---- */

/* What a str of these characters must print at `limit` (0: whole):
 * Python's repr, or its first limit-3 code points and "...". */
static char *expected_str_text(PyObject *s, size_t limit)
{
    char *full = python_repr(s);
    if (!limit || count_code_points(full) <= limit)
        return full;
    char *start = first_code_points(full, limit - 3);
    char *want = malloc(strlen(start) + 4);
    cr_assert_not_null(want);
    strcpy(want, start);
    strcat(want, "...");
    free(start);
    free(full);
    return want;
}

static PyObject *new_str(const char *utf8)
{
    PyObject *s = PyUnicode_FromString(utf8);
    cr_assert_not_null(s);
    return s;
}

/* One str, then another of the same length and kind that differs in one
 * character, made where the first was freed (the allocator's newest free
 * block: the same slot of the table); each rendered twice at each limit. */
static void assert_str_at_a_reused_address(const char *first, const char *second)
{
    size_t limits[] = {0, 10, 40, 120, 0};
    for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
        PyObject *a = new_str(first);
        char *want_a = expected_str_text(a, limits[k]);
        char *a1 = render(a, limits[k], false), *a2 = render(a, limits[k], false);
        const void *where = a;
        Py_DECREF(a);
        PyObject *b = new_str(second);
        cr_assert_eq((const void *)b, where, "the test needs the address reused");
        char *b1 = render(b, limits[k], false), *b2 = render(b, limits[k], false);
        char *want_b = expected_str_text(b, limits[k]);
        cr_assert_str_eq(a1, want_a, "limit %zu", limits[k]);
        cr_assert_str_eq(a2, want_a, "limit %zu, again", limits[k]);
        cr_assert_str_eq(b1, want_b, "limit %zu, the other str", limits[k]);
        cr_assert_str_eq(b2, want_b, "limit %zu, the other str again", limits[k]);
        free(a1), free(a2), free(b1), free(b2), free(want_a), free(want_b);
        Py_DECREF(b);
    }
}

/* A request text longer than max_repr (the slow form's first case), in
 * one-byte, two-byte and four-byte characters, and one that needs
 * escapes: its successor differs near the end, past every cut, where only
 * a whole compare sees it (uncut, it must show). */
Test(repr_memo, strs_kept_by_their_characters_print_their_own_text)
{
    static const char *const pairs[][2] = {
        {"{\"id\": 12, \"customer\": \"jane q customer3\", \"lines\": [{\"sku\": \"SKU-0084\"}]} tail A",
         "{\"id\": 12, \"customer\": \"jane q customer3\", \"lines\": [{\"sku\": \"SKU-0084\"}]} tail B"},
        {"line one\nline two\tand 'quoted' text with a \\ backslash, then more words: end 1",
         "line one\nline two\tand 'quoted' text with a \\ backslash, then more words: end 2"},
        {"caf\xc3\xa9 \xe2\x82\xac prices in euros, several of them, on and on until the end: 1",
         "caf\xc3\xa9 \xe2\x82\xac prices in euros, several of them, on and on until the end: 2"},
        {"\xf0\x9f\x98\x80 a smile, then plain words for a while, long enough to be cut: x",
         "\xf0\x9f\x98\x80 a smile, then plain words for a while, long enough to be cut: y"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        assert_str_at_a_reused_address(pairs[i][0], pairs[i][1]);
}

/* A quote changes the text from the first character (Python picks the
 * other quote), though the two strs share every cut prefix but the quote. */
Test(repr_memo, a_str_whose_quote_changes_is_rendered_again)
{
    assert_str_at_a_reused_address("no quotes at all here, only words, and a newline at the end\n",
                                   "no quotes at all here, only words, and a newline at the end'");
}

/* Python's repr of `expr` cut at `limit` as the sink cuts: the first
 * limit-3 code points and dots up to the limit (repr_internal.h). */
static char *python_repr_cut(const char *whole, size_t limit)
{
    if (count_code_points(whole) <= limit)
        return strdup(whole);
    size_t keep = limit > 3 ? limit - 3 : 0;
    char *start = first_code_points(whole, keep);
    size_t n = strlen(start);
    char *out = malloc(n + 4);
    cr_assert_not_null(out);
    memcpy(out, start, n);
    memset(out + n, '.', limit - keep);
    out[n + limit - keep] = '\0';
    free(start);
    return out;
}

/* Dict keys are kept by their text (core/repr_key.c), with their quote
 * and redaction answer: keys that print as their bytes, between either
 * quote, and keys that need escapes or hold non-ASCII (never kept), at the
 * sizes around the kept ones' 16 bytes, each made anew for every dict (as
 * json.loads does), rendered whole and at every cut, three times over,
 * under three sets of words (the last empty): each time what Python prints
 * with the named values hidden (cut where the sink cuts). */
Test(repr_memo, kept_key_texts_print_their_own_quote_and_answer)
{
    run_python("key_texts = ['a', 'qty', \"it's\", 'say \"hi\"', 'both \\'\"', 'tab\\there',"
               " 'caf\\xe9', '\\x7f', 'back\\\\slash', 'p' * 15, 'q' * 16, 'r' * 17,"
               " \"'\" * 16, '\"' * 16, 'x\\ny', 'secret_key', 'Token']\n"
               "def fresh_keys():\n"
               "    return {''.join(list(k)): i for i, k in enumerate(key_texts)}\n"
               "def hidden_repr(d, words):\n"
               "    return repr({k: '<redacted>' if any(w in k.lower() for w in words) else v"
               " for k, v in d.items()})\n");
    const char *const words[] = {"secret", "token"};
    const char *wanted_expr[] = {"hidden_repr(fresh_keys(), ['secret'])",
                                 "hidden_repr(fresh_keys(), ['token'])",
                                 "hidden_repr(fresh_keys(), [])"};
    for (int w = 0; w < 3; w++) {
        tp_repr_opts opts = {0};
        tp_repr_opts_set_redact(&opts, w < 2 ? &words[w] : NULL, w < 2 ? 1 : 0);
        PyObject *wanted_obj = eval_python(wanted_expr[w]);
        const char *want = PyUnicode_AsUTF8(wanted_obj);
        size_t n = count_code_points(want);
        for (int pass = 0; pass < 3; pass++) {
            for (size_t limit = 0; limit <= n + 1; limit++) {
                PyObject *d = eval_python("fresh_keys()");
                opts.max_chars = limit;
                char *got = render_opts(d, &opts);
                char *expect = limit ? python_repr_cut(want, limit) : strdup(want);
                cr_assert_str_eq(got, expect, "words %d pass %d limit %zu", w, pass, limit);
                free(got);
                free(expect);
                Py_DECREF(d);
            }
        }
        Py_DECREF(wanted_obj);
    }
}
