import asyncio

from rank.score import slow_key


async def ranked(items):
    ordered = sorted(items, key=slow_key)
    best = await asyncio.to_thread(slow_key, ordered[-1])
    return ordered, best
