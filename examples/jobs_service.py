"""A small job-processing service, to try tracepatch on.

The main thread submits jobs to a queue; two worker threads take them,
parse them, compute a result with a generator and store it. Every fifth
job is malformed and raises an exception, which the worker logs and
survives. Runs until interrupted (Ctrl-C) or for --seconds.

    LD_PRELOAD=build/preload/libtracepatch.so python3 examples/jobs_service.py &
    kill -USR1 $!    # open a trace window
    kill -USR1 $!    # close it: the trace is in .tracepatch_cache/
"""
import argparse
import json
import queue
import threading
import time


class BadJob(Exception):
    pass


class Job:
    def __init__(self, job_id, payload):
        self.job_id = job_id
        self.payload = payload

    def __repr__(self):
        return "Job(%d)" % self.job_id


def parse(raw):
    data = json.loads(raw)
    if "numbers" not in data:
        raise BadJob("job %s has no numbers" % data.get("id"))
    return Job(data["id"], data["numbers"])


def squares(numbers):
    for n in numbers:
        yield n * n


def compute(job):
    return sum(squares(job.payload))


class ResultStore:
    def __init__(self):
        self.results = {}
        self.lock = threading.Lock()

    def save(self, job_id, value):
        with self.lock:
            self.results[job_id] = value
        return len(self.results)


class Worker(threading.Thread):
    def __init__(self, name, jobs, store):
        super().__init__(name=name, daemon=True)
        self.jobs = jobs
        self.store = store
        self.failed = 0

    def run(self):
        while True:
            raw = self.jobs.get()
            if raw is None:
                return
            self.handle(raw)

    def handle(self, raw):
        try:
            job = parse(raw)
        except BadJob:
            self.failed += 1
            return None
        return self.store.save(job.job_id, compute(job))


def make_job(i):
    if i % 5 == 4:
        return json.dumps({"id": i})
    return json.dumps({"id": i, "numbers": list(range(i % 7 + 1))})


def serve(seconds):
    jobs, store = queue.Queue(), ResultStore()
    workers = [Worker("worker-%d" % k, jobs, store) for k in range(2)]
    for w in workers:
        w.start()
    print("jobs service running (pid %d)" % threading.get_native_id(), flush=True)
    deadline = time.monotonic() + seconds
    i = 0
    try:
        while time.monotonic() < deadline:
            jobs.put(make_job(i))
            i += 1
            time.sleep(0.05)
    except KeyboardInterrupt:
        pass
    for _ in workers:
        jobs.put(None)
    for w in workers:
        w.join()
    print("processed %d jobs, %d failed" % (i, sum(w.failed for w in workers)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3600)
    serve(parser.parse_args().seconds)
