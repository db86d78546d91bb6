/* Safe mode (no user code, <module.Class object at 0x...>) and redaction. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repr_internal.h"
#include "repr_test_util.h"

static void define_classes(void)
{
    repr_test_python_start();
    run_python(
        "repr_ran = []\n"
        "class Loud:\n"
        "    def __repr__(self):\n"
        "        repr_ran.append(1)\n"
        "        return 'LOUD'\n"
        "class Watching(type):\n"
        "    def __getattribute__(cls, name):\n"
        "        repr_ran.append(name)\n"
        "        return super().__getattribute__(name)\n"
        "class Tricky(metaclass=Watching):\n"
        "    def __repr__(self):\n"
        "        repr_ran.append(2)\n"
        "        return 'TRICKY'\n"
        "class MyInt(int): pass\n"
        "class MyList(list):\n"
        "    def __repr__(self):\n"
        "        repr_ran.append(3)\n"
        "        return 'MYLIST'\n");
}

TestSuite(repr_safe, .init = define_classes, .fini = repr_test_python_stop);

static void forget_user_code_runs(void)
{
    run_python("repr_ran.clear()\n");
}

static void assert_no_user_code_ran(void)
{
    PyObject *ran = eval_python("repr_ran");
    cr_assert_eq(PyList_GET_SIZE(ran), 0, "user code ran in safe mode");
    Py_DECREF(ran);
}

/* In safe mode, an unknown object renders as object.__repr__ would. */
static void assert_safe_like_object_repr(const char *expr)
{
    PyObject *v = eval_python(expr);
    PyObject *builtin_repr = eval_python("object.__repr__");
    PyObject *want_obj = PyObject_CallOneArg(builtin_repr, v);
    cr_assert_not_null(want_obj);
    forget_user_code_runs();
    char *out = render(v, 0, true);
    assert_no_user_code_ran();
    cr_assert_str_eq(out, PyUnicode_AsUTF8(want_obj), "%s", expr);
    free(out);
    Py_DECREF(want_obj);
    Py_DECREF(builtin_repr);
    Py_DECREF(v);
}


Test(repr_safe, unknown_objects_show_module_class_and_address)
{
    const char *exprs[] = {"Loud()", "values.Plain()", "values.Plain.Inner()", "MyInt(5)",
                           "MyList([1])", "complex(1, 2)", "range(3)", "Tricky()"};
    for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++)
        assert_safe_like_object_repr(exprs[i]);
    PyObject *v = eval_python("values.Plain.Inner()");
    char *out = render(v, 0, true);
    cr_assert_eq(strncmp(out, "<values.Plain.Inner object at 0x", 32), 0, "%s", out);
    free(out);
    Py_DECREF(v);
}

Test(repr_safe, exact_types_are_still_rendered_in_full)
{
    PyObject *v = eval_python("[1, 'two', b'3', 4.5, None, True, (6,), {'k': {7}}, frozenset(), int, len.__class__]");
    char *want = python_repr(v);
    char *got = render(v, 0, true);
    cr_assert_str_eq(got, want);
    free(want);
    free(got);
    Py_DECREF(v);
}

Test(repr_safe, nested_unknowns_are_safe_too)
{
    PyObject *v = eval_python("[Loud(), {'k': Loud()}, Tricky]");
    forget_user_code_runs();
    char *got = render(v, 0, true);
    cr_assert_eq(strncmp(got, "[<__main__.Loud object at 0x", 28), 0, "%s", got);
    cr_assert_not_null(strstr(got, "{'k': <__main__.Loud object at 0x"), "%s", got);
    free(got);
    Py_DECREF(v);
    assert_no_user_code_ran();
}

/* An exception's message in safe mode: CPython's own str() when nothing of
 * the app can run in it, else BaseException.__str__'s form from safe
 * values. `want` NULL: what str() gives. */
static void assert_safe_exception_text(const char *expr, const char *want)
{
    PyObject *e = eval_python(expr);
    char *expected = NULL;
    if (!want) {
        PyObject *text = eval_python("lambda e: type(e).__name__ + (': ' + str(e) if str(e) else '')");
        PyObject *s = PyObject_CallOneArg(text, e);
        cr_assert_not_null(s, "%s", expr);
        expected = strdup(PyUnicode_AsUTF8(s));
        Py_DECREF(s);
        Py_DECREF(text);
    }
    forget_user_code_runs();
    char *out = render_exception(e, 0, true);
    assert_no_user_code_ran();
    cr_assert_null(PyErr_Occurred());
    if (want && want[strlen(want) - 1] == '*')   /* ends in an address */
        cr_assert_eq(strncmp(out, want, strlen(want) - 1), 0, "%s: %s", expr, out);
    else
        cr_assert_str_eq(out, want ? want : expected, "%s", expr);
    free(out);
    free(expected);
    Py_DECREF(e);
}

Test(repr_safe, exception_messages_run_no_app_code)
{
    run_python("class LoudError(Exception):\n"
               "    def __str__(self):\n"
               "        repr_ran.append(4)\n"
               "        return 'LOUD'\n"
               "class Mixin:\n"
               "    def __str__(self):\n"
               "        repr_ran.append(5)\n"
               "        return 'MIXIN'\n"
               "class MixedError(Mixin, ValueError): pass\n"
               "class PlainError(ValueError): pass\n"
               "def attribute_error():\n"
               "    try:\n"
               "        Loud().missing\n"
               "    except AttributeError as e:\n"
               "        return e\n");
    /* Nothing of the app in str(): CPython's own text. */
    const char *as_python[] = {"ValueError('bad value')", "KeyError('k')", "ValueError()",
                               "PlainError('x', 2)", "OSError(2, 'No such file', 'f.txt')",
                               "SyntaxError('bad', ('f.py', 1, 2, 'x y'))", "attribute_error()",
                               "StopIteration(3)", "UnicodeDecodeError('utf-8', b'\\xff', 0, 1, 'bad')"};
    for (size_t i = 0; i < sizeof as_python / sizeof *as_python; i++)
        assert_safe_exception_text(as_python[i], NULL);
    /* The app's __str__, or the app's values formatted: safe forms of args. */
    assert_safe_exception_text("LoudError()", "LoudError");
    assert_safe_exception_text("LoudError('msg')", "LoudError: msg");
    assert_safe_exception_text("LoudError('a', 1)", "LoudError: ('a', 1)");
    assert_safe_exception_text("MixedError(5)", "MixedError: 5");
    assert_safe_exception_text("ValueError(Loud())", "ValueError: <__main__.Loud object at 0x*");
    assert_safe_exception_text("KeyError(Tricky())", "KeyError: <__main__.Tricky object at 0x*");
    assert_safe_exception_text("OSError(2, 'No such file', Loud())",
                               "FileNotFoundError: (2, 'No such file')");
    assert_safe_exception_text("ValueError('x', [Loud()])",
                               "ValueError: ('x', [<__main__.Loud object at 0x*");
#if PY_VERSION_HEX >= 0x030B0000
    assert_safe_exception_text("ExceptionGroup('eg', [ValueError(Loud())])", NULL);
#endif
}

TestSuite(repr_redact, .init = repr_test_python_start, .fini = repr_test_python_stop);

static const char *const default_words[] = {"password", "passwd", "secret", "token", "api_key",
                                            "apikey", "authorization", "cookie", "session"};

/* tp_repr_name_is_redacted for a C string, made a str first. */
static bool name_redacted(const char *name, const tp_repr_opts *opts)
{
    PyObject *s = PyUnicode_FromString(name);
    cr_assert_not_null(s);
    PyUnicode_InternInPlace(&s);   /* as a code object's names are */
    bool redacted = tp_repr_name_is_redacted(s, opts);
    Py_DECREF(s);
    return redacted;
}

Test(repr_redact, name_matching_ignores_case)
{
    tp_repr_opts opts = {.redact = default_words, .n_redact = 9};
    const char *hidden[] = {"password", "PASSWORD", "db_Password", "x_secret_y", "Token",
                            "api_key", "MyApiKey", "Authorization", "set_cookie", "SESSION_ID"};
    const char *shown[] = {"user", "pass", "secre", "api-key", "tok", "", "sess", "auth"};
    for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
        cr_assert(name_redacted(hidden[i], &opts), "%s should be redacted", hidden[i]);
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
        cr_assert(!name_redacted(shown[i], &opts), "%s should not be redacted", shown[i]);
    tp_repr_opts none = {.redact = NULL, .n_redact = 0};
    cr_assert(!name_redacted("password", &none));
    const char *const empty_word[] = {""};
    tp_repr_opts empty = {.redact = empty_word, .n_redact = 1};
    cr_assert(!name_redacted("anything", &empty), "an empty word must not redact everything");
}

/* The oracle: the same dict with matching str keys' values replaced by the
 * str '<redacted>', at any depth of dicts/lists/tuples, through repr(). */
static const char redacted_oracle[] =
    "def redacted(v, words):\n"
    "    if type(v) is dict:\n"
    "        return {k: ('<redacted>' if type(k) is str and any(w in k.lower() for w in words)\n"
    "                    else redacted(x, words)) for k, x in v.items()}\n"
    "    if type(v) is list: return [redacted(x, words) for x in v]\n"
    "    if type(v) is tuple: return tuple(redacted(x, words) for x in v)\n"
    "    return v\n";

Test(repr_redact, dict_values_under_matching_keys_are_hidden)
{
    run_python(redacted_oracle);
    run_python("words = ['password', 'passwd', 'secret', 'token', 'api_key', 'apikey',"
               " 'authorization', 'cookie', 'session']\n"
               "sample = {'password': 'hunter2', 'User': 'bob', 'API_KEY': 123, 'nested': {'Session_Id': [1]},"
               " 5: 'password', b'token': 'visible', 'list': [{'secret': 's'}, ({'x_token': 't'},)],"
               " 'passwords_by_user': {'a': 1}, '\\u20acsecret': 2}\n");
    PyObject *v = eval_python("sample");
    PyObject *want_obj = eval_python("repr(redacted(sample, words))");
    tp_repr_opts opts = {.redact = default_words, .n_redact = 9};
    char *got = render_opts(v, &opts);
    cr_assert_str_eq(got, PyUnicode_AsUTF8(want_obj));
    cr_assert_null(strstr(got, "hunter2"));
    cr_assert_not_null(strstr(got, "b'token': 'visible'"), "bytes keys are not names");
    free(got);
    tp_repr_opts off = {0};
    char *plain = render_opts(v, &off);
    char *want_plain = python_repr(v);
    cr_assert_str_eq(plain, want_plain, "without words nothing is redacted");
    free(plain);
    free(want_plain);
    Py_DECREF(want_obj);
    Py_DECREF(v);
}

/* Latin-1 keys take a one-pass scan (core/repr_redact.c): words at the
 * start, middle and end, cut short by the end, in any ASCII case, and a
 * word that starts with a non-letter. */
Test(repr_redact, latin1_keys_match_the_oracle)
{
    run_python(redacted_oracle);
    run_python("lat_keys = ['token', 'TOKEN', 'xToKeNx', 'mytoken', 'mytoke', 'toke', 't', '',"
               " 'caf\\xe9_Token', '\\xe9secret', 'secre', 'sec_ret', '_priv', 'a_PRIV', '_pri',"
               " 'ttoken', 'sesssion', 'session', '\\xffcookie\\xff', 'cookiE', 'mask', 'kK']\n"
               "lat_sample = {k: i for i, k in enumerate(lat_keys)}\n"
               "lat_wanted = repr(redacted(lat_sample, ['token', 'secret', '_priv', 'session', 'cookie']))\n");
    const char *const words[] = {"token", "secret", "_priv", "session", "cookie"};
    tp_repr_opts opts = {.redact = words, .n_redact = 5};   /* unprepared: the plain scan */
    PyObject *sample = eval_python("lat_sample"), *wanted = eval_python("lat_wanted");
    char *got = render_opts(sample, &opts);
    cr_assert_str_eq(got, PyUnicode_AsUTF8(wanted));
    free(got);
    tp_repr_opts prepared = {0};
    tp_repr_opts_set_redact(&prepared, words, 5);
    got = render_opts(sample, &prepared);
    cr_assert_str_eq(got, PyUnicode_AsUTF8(wanted), "with tp_repr_opts_set_redact");
    free(got);
    /* a one-letter word matches anywhere, the last byte too */
    const char *const letter[] = {"k"};
    PyObject *wanted_k = eval_python("repr(redacted(lat_sample, ['k']))");
    tp_repr_opts_set_redact(&prepared, letter, 1);
    got = render_opts(sample, &prepared);
    cr_assert_str_eq(got, PyUnicode_AsUTF8(wanted_k));
    cr_assert_not_null(strstr(got, "'mask': '<redacted>'"), "%s", got);
    free(got);
    Py_DECREF(wanted_k);
    Py_DECREF(sample);
    Py_DECREF(wanted);
}

/* core/repr_key.c keeps the answers for recent keys of up to 16 bytes
 * by their text: keys that differ in one byte anywhere, of every length,
 * made anew for each dict (as json.loads does), rendered twice so the
 * second pass is answered from what the first kept, and again with other
 * words, which the kept answers must not leak into. */
Test(repr_redact, kept_answers_follow_the_text_and_the_words)
{
    run_python(redacted_oracle);
    run_python("def key_variants():\n"
               "    out = []\n"
               "    for n in range(1, 19):\n"
               "        for at in range(n):\n"
               "            base = ['x'] * n\n"
               "            for i, ch in enumerate('key'):\n"
               "                if at + i < n: base[at + i] = ch\n"
               "            out.append(''.join(base))\n"
               "            out.append(''.join(base[:at] + ['k' if base[at] != 'k' else 'q'] + base[at + 1:]))\n"
               "    return out\n"
               "kept_keys = key_variants()\n"
               "def kept_sample():\n"
               "    return {''.join(list(k)): i for i, k in enumerate(kept_keys)}\n");
    const char *const key_word[] = {"key"}, *const q_word[] = {"q"};
    tp_repr_opts opts = {0};
    for (int words = 0; words < 2; words++) {
        const char *const *w = words ? q_word : key_word;
        tp_repr_opts_set_redact(&opts, w, 1);
        PyObject *wanted = eval_python(words ? "repr(redacted(kept_sample(), ['q']))"
                                             : "repr(redacted(kept_sample(), ['key']))");
        for (int pass = 0; pass < 2; pass++) {
            PyObject *sample = eval_python("kept_sample()");   /* new key objects */
            char *got = render_opts(sample, &opts);
            cr_assert_str_eq(got, PyUnicode_AsUTF8(wanted), "words %d, pass %d", words, pass);
            free(got);
            Py_DECREF(sample);
        }
        Py_DECREF(wanted);
    }
}

/* Words may be configured in capitals ("SSN"): they match keys and
 * parameter names in any case, prepared (one-pass scan) or not, Latin-1
 * or not. */
Test(repr_redact, words_in_capitals_match_any_case)
{
    run_python(redacted_oracle);
    run_python("caps_sample = {'ssn': 1, 'SSN': 2, 'my_Ssn': 3, 'colour': 4, 'COLOURS': 5, 'x': 6,"
               " 'caf\\xe9_sSn': 7, '\\u20acssn': 8, 'sn': 9}\n"
               "caps_wanted = repr(redacted(caps_sample, ['ssn', 'colour']))\n");
    const char *const words[] = {"SSN", "Colour"};
    PyObject *sample = eval_python("caps_sample"), *wanted = eval_python("caps_wanted");
    tp_repr_opts plain = {.redact = words, .n_redact = 2}, prepared = {0};
    tp_repr_opts_set_redact(&prepared, words, 2);
    const tp_repr_opts *both[] = {&plain, &prepared};
    for (int i = 0; i < 2; i++) {
        for (int pass = 0; pass < 2; pass++) {   /* the second from kept keys */
            char *got = render_opts(sample, both[i]);
            cr_assert_str_eq(got, PyUnicode_AsUTF8(wanted), "prepared %d, pass %d", i, pass);
            free(got);
        }
        cr_assert(name_redacted("SSN_id", both[i]), "prepared %d", i);
        cr_assert(name_redacted("ssn", both[i]), "prepared %d", i);
        cr_assert(name_redacted("my_colour", both[i]), "prepared %d", i);
        cr_assert(!name_redacted("name", both[i]), "prepared %d", i);
        cr_assert(!name_redacted("sn", both[i]), "prepared %d", i);
    }
    Py_DECREF(sample);
    Py_DECREF(wanted);
}

/* A parameter's name (a str) is answered from the kept key texts
 * (core/repr_key.c): the answers of a plain lowercase search, for names
 * kept and not (long, non-Latin-1), on a second pass from the table,
 * under two sets of words, and the same texts as keys afterwards. */
Test(repr_redact, names_as_strs_answer_like_a_search)
{
    static const struct {
        const char *name;
        bool by_a, by_b;   /* {password, token}, {session} */
    } names[] = {{"self", false, false}, {"password", true, false},
                 {"user_token", true, false}, {"x", false, false}, {"PassWord", true, false},
                 {"a_very_long_secret_token_parameter_name", true, false},
                 {"sessionid", false, true}, {"caf\xc3\xa9_token", true, false},
                 {"name", false, false}};
    const char *const set_a[] = {"password", "token"}, *const set_b[] = {"session"};
    for (int w = 0; w < 2; w++) {
        tp_repr_opts opts = {0};
        tp_repr_opts_set_redact(&opts, w ? set_b : set_a, w ? 1 : 2);
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                cr_assert_eq(name_redacted(names[i].name, &opts), w ? names[i].by_b : names[i].by_a,
                             "%s, words %d, pass %d", names[i].name, w, pass);
        }
    }
    PyObject *d = eval_python("{'password': 1, 'self': 2, 'sessionid': 3}");
    const char *const words[] = {"password"};
    tp_repr_opts opts = {0};
    tp_repr_opts_set_redact(&opts, words, 1);
    PyObject *name = PyUnicode_InternFromString("password");
    cr_assert(tp_repr_name_is_redacted(name, &opts));
    char *got = render_opts(d, &opts);
    cr_assert_str_eq(got, "{'password': '<redacted>', 'self': 2, 'sessionid': 3}");
    free(got);
    Py_DECREF(name);
    Py_DECREF(d);
}

Test(repr_redact, generated_dicts_match_the_oracle)
{
    run_python(redacted_oracle);
    run_python("import random\n"
               "rng = random.Random(5)\n"
               "keys = ['token', 'Token2', 'name', 'id', 'auth', 'PASSWD', 'x', 'cookie_jar', 1, None]\n"
               "def gen(d):\n"
               "    if d > 3 or rng.random() < 0.3: return rng.choice([1, 'v', None, [2]])\n"
               "    return {rng.choice(keys): gen(d + 1) for _ in range(rng.randrange(4))}\n"
               "samples = [gen(0) for _ in range(500)]\n"
               "wanted = [repr(redacted(s, ['token', 'passwd', 'cookie'])) for s in samples]\n");
    const char *const words[] = {"token", "passwd", "cookie"};
    tp_repr_opts opts = {.redact = words, .n_redact = 3};
    PyObject *samples = eval_python("samples"), *wanted = eval_python("wanted");
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(samples); i++) {
        char *got = render_opts(PyList_GET_ITEM(samples, i), &opts);
        cr_assert_str_eq(got, PyUnicode_AsUTF8(PyList_GET_ITEM(wanted, i)), "sample %zd", i);
        free(got);
    }
    Py_DECREF(samples);
    Py_DECREF(wanted);
}

/* Addresses (in <... object at 0x...> and the safe form) as glibc's %p
 * prints them: every digit count from 1 to 16, each hex digit in every
 * place, and random values. */
Test(repr_address, addresses_print_as_percent_p)
{
    uint64_t values[4000];
    size_t n = 0;
    for (int bits = 0; bits < 64; bits++) {
        uint64_t top = 1ULL << bits;
        values[n++] = top;
        values[n++] = top | (top - 1);
        values[n++] = top | ((top - 1) & 0xA5C3F0E1B4D29687ULL);
    }
    for (int place = 0; place < 16; place++) {
        for (uint64_t digit = 1; digit < 16; digit++)
            values[n++] = digit << (4 * place) | 1ULL << 60;
    }
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    while (n < sizeof values / sizeof *values) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        values[n++] = x >> (x % 40);
    }
    for (size_t i = 0; i < n; i++) {
        char want[40], text[TP_ADDRESS_TEXT];
        snprintf(want, sizeof want, "%p", (void *)(uintptr_t)values[i]);
        size_t at = tp_format_address(text, (void *)(uintptr_t)values[i]);
        cr_assert_eq(TP_ADDRESS_TEXT - at, strlen(want), "%s: length", want);
        cr_assert(memcmp(text + at, want, strlen(want)) == 0, "%s: got %.*s", want,
                  (int)(TP_ADDRESS_TEXT - at), text + at);
    }
}
