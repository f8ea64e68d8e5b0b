import asyncio


def work(n, out):
    out.append(n)


async def run(numbers):
    out = []
    await asyncio.gather(*(asyncio.to_thread(work, n, out) for n in numbers))
    return out
