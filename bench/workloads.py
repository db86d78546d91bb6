"""The active-cost workloads. Each takes a size and returns something, so
that nothing is optimised away; all are deterministic and single-threaded
(cProfile and a C profile function only see the thread that set them up).
Runs on Python 3.8 and later."""
import json


# ---- fib: the worst case, nothing but calls -------------------------------

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def run_fib(size):
    return fib(size)


# ---- objects: method calls, properties, dunder methods ---------------------

class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    @property
    def norm2(self):
        return self.dot(self)


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self, dt):
        self.pos = self.pos + self.vel.scale(dt)
        return self.pos

    def energy(self):
        return 0.5 * self.vel.norm2


class World:
    def __init__(self, n):
        self.particles = [Particle(Vec(i, -i), Vec(1, 0.5)) for i in range(n)]

    def tick(self, dt):
        for p in self.particles:
            p.step(dt)

    def total_energy(self):
        return sum(p.energy() for p in self.particles)


def run_objects(size):
    w = World(20)
    e = 0.0
    for _ in range(size):
        w.tick(0.1)
        e += w.total_energy()
    return e


# ---- mixed: what a small service does with a batch of requests -------------

class ValidationError(Exception):
    pass


class Order:
    def __init__(self, oid, customer, lines):
        self.oid = oid
        self.customer = customer
        self.lines = lines

    def total(self):
        return sum(line_total(l) for l in self.lines)

    def summary(self):
        return "order %d for %s: %d lines, %.2f" % (self.oid, self.customer,
                                                     len(self.lines), self.total())


def line_total(line):
    return round(line["qty"] * line["price"], 2)


def validate(record):
    if not record.get("customer"):
        raise ValidationError("missing customer in order %s" % record.get("id"))
    for line in record["lines"]:
        check_line(line)
    return True


def check_line(line):
    if line["qty"] <= 0:
        raise ValidationError("bad quantity %r" % (line["qty"],))


def normalise(name):
    return " ".join(part.capitalize() for part in name.split())


def parse(text):
    record = json.loads(text)
    record["customer"] = normalise(record["customer"])
    return record


def make_requests(n):
    out = []
    for i in range(n):
        lines = [{"sku": "SKU-%04d" % (i * 7 + j), "qty": (i + j) % 5 + (i % 9 != 0), "price": 1.25 * (j + 1)}
                 for j in range(1 + i % 4)]
        out.append(json.dumps({"id": i, "customer": "jane q customer%d" % (i % 13) if i % 17 else "",
                               "lines": lines}))
    return out


def handle(text):
    record = parse(text)
    try:
        validate(record)
    except ValidationError as e:
        return {"id": record["id"], "error": str(e)}
    order = Order(record["id"], record["customer"], record["lines"])
    return {"id": order.oid, "summary": order.summary()}


def report(results):
    ok = sorted((r for r in results if "summary" in r), key=lambda r: r["id"])
    bad = [r for r in results if "error" in r]
    by_customer = {}
    for r in ok:
        name = r["summary"].split(" for ")[1].split(":")[0]
        by_customer[name] = by_customer.get(name, 0) + 1
    return json.dumps({"ok": len(ok), "bad": len(bad), "customers": by_customer})


def run_mixed(size):
    requests = make_requests(size)
    return report([handle(t) for t in requests])


WORKLOADS = {"fib": run_fib, "objects": run_objects, "mixed": run_mixed}
