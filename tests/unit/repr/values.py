"""Values for the tp_repr tests: many kinds, generated from a seed so that a
failure can be reproduced. Python's own repr() of each is the expected text."""
import random
import struct
import sys

# characters chosen to hit every branch of str's repr: quotes, backslash,
# \t \n \r, other C0 controls, DEL, Latin-1 (printable and not), BMP
# (printable, format chars, separators), lone surrogates, non-BMP (printable
# and private use / unassigned)
SPECIAL_CHARS = (
    "'\"\\\t\n\r\x00\x01\x1b\x1f\x7f\x80\x9f\xa0\xad\xe9\xff"
    "\u0100\u0378\u200b\u2028\u2029\u3000\ufeff\ufffd\uffff"
    "\ud800\udbff\udc00\udfff"
    "\U0001f600\U000e0001\U000f0000\U0010ffff\U0001d11e"
)


def random_char(rng):
    r = rng.random()
    if r < 0.35:
        return chr(rng.randrange(0x20, 0x7f))
    if r < 0.6:
        return rng.choice(SPECIAL_CHARS)
    if r < 0.75:
        return chr(rng.randrange(0, 0x100))
    if r < 0.9:
        return chr(rng.randrange(0x100, 0x10000))
    return chr(rng.randrange(0x10000, 0x110000))


def random_str(rng, max_len=40):
    return "".join(random_char(rng) for _ in range(rng.randrange(max_len)))


def random_bytes(rng, max_len=40):
    pool = [rng.randrange(256) for _ in range(4)] + list(b"'\"\\\t\n\r\x00\x7f\x80\xff a")
    return bytes(rng.choice(pool) if rng.random() < 0.5 else rng.randrange(256)
                 for _ in range(rng.randrange(max_len)))


def random_int(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randrange(-300, 300)
    if kind == 1:
        return rng.randrange(-2**63 - 5, 2**63 + 5)
    if kind == 2:
        return rng.choice([2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**64, 0, -1])
    if kind == 3:
        return rng.randrange(-10**60, 10**60)
    if kind == 4:
        return rng.randrange(10**1000) * rng.choice([1, -1])
    return rng.getrandbits(rng.randrange(1, 200))


def random_float(rng):
    kind = rng.randrange(5)
    if kind == 0:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if kind == 1:
        return rng.choice([float("inf"), float("-inf"), float("nan"), -0.0, 0.0,
                           1e16, 1e15, 1e-5, 1e-4, 5e-324, 2.2250738585072014e-308,
                           1.7976931348623157e308, 0.1, 1 / 3, 123456789.0])
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind == 3:   # subnormals
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(52)))[0] * rng.choice([1, -1])
    return float(rng.randrange(-10**18, 10**18))


def random_scalar(rng):
    kind = rng.randrange(7)
    return [random_int, random_float, random_str, random_bytes,
            lambda r: r.choice([True, False]), lambda r: None,
            lambda r: r.choice([int, dict, str, Plain, Plain.Inner, random.Random,
                                random_str, Plain.method, (lambda: 0)])][kind](rng)


def random_key(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return random_int(rng)
    if kind == 1:
        return random_str(rng, 10)
    if kind == 2:
        return random_bytes(rng, 10)
    if kind == 3:
        return tuple(random_key(rng) for _ in range(rng.randrange(3)))
    if kind == 4:
        return frozenset(random_int(rng) for _ in range(rng.randrange(3)))
    return rng.choice([None, True, False, random_float(rng)])


def random_value(rng, depth=0):
    if depth >= 4 or rng.random() < 0.4:
        return random_scalar(rng)
    n = rng.choice([0, 1, 1, 2, 3, 5])
    kind = rng.randrange(6)
    if kind == 0:
        return [random_value(rng, depth + 1) for _ in range(n)]
    if kind == 1:
        return tuple(random_value(rng, depth + 1) for _ in range(n))
    if kind == 2:
        return {random_key(rng): random_value(rng, depth + 1) for _ in range(n)}
    if kind == 3:
        return {random_key(rng) for _ in range(n)}
    if kind == 4:
        return frozenset(random_key(rng) for _ in range(n))
    return Plain()


class Plain:
    """An object without __repr__: object_repr, through the user-repr path."""
    class Inner:
        pass

    def method(self):
        pass


def recursive_values():
    a = []
    a.append(a)
    d = {}
    d["self"] = d
    d[1] = [d, a]
    t = ([],)
    t[0].append(t)
    deep = [1]
    deep.append({"x": deep, "y": (deep,)})
    return [a, d, t, deep, [a, a], {"a": a, "t": t}]


def fixed_values():
    return [
        0, -0, 1, -1, True, False, None, 0.0, -0.0, float("nan"), "", b"",
        [], (), {}, set(), frozenset(), [[]], ((),), (1,), ("",), [()], {(): ()},
        frozenset({1, 2}), {1, 2, 3}, frozenset({frozenset()}),
        "'", '"', "'\"", "\"'", "a'b", 'a"b', "it's \"x\"", b"'", b'"', b"'\"",
        "".join(map(chr, range(0x300))), bytes(range(256)),
        "".join(chr(c) for c in range(0x2000, 0x2100)),
        "\ud800\udc00", "\udfff\ud800", "\U0010ffff",
        10**4000, -10**4000, 2**100,
        int, type, object, bool, Plain, Plain.Inner, random.Random,
        len, print, Plain.method, recursive_values,
        complex(1, 2), range(3), bytearray(b"x'"), Plain(),
    ]


def generate(seed, count):
    rng = random.Random(seed)
    values = fixed_values() + recursive_values()
    values += [random_value(rng) for _ in range(count)]
    return values
