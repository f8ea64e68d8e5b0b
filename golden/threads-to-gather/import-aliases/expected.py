import asyncio


def work(n, out):
    out.append(n * n)


async def squares(numbers):
    out = []
    await asyncio.gather(*(asyncio.to_thread(work, n, out) for n in numbers))
    await asyncio.to_thread(work, 0, out)
    return out
