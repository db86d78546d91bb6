"""N asyncio tasks that each await asyncio.sleep(d), gathered."""
import asyncio
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5
DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05


def compute(i):
    return i * 2


async def step(i):
    await asyncio.sleep(DELAY)
    return compute(i)


async def worker(i):
    value = await step(i)
    return value


async def main():
    tasks = [asyncio.create_task(worker(i), name="job-%d" % i) for i in range(N)]
    results = await asyncio.gather(*tasks)
    print(sum(results))


asyncio.run(main())
