import asyncio

from pkg.helpers import pause, tick


async def handler(n):
    first = (await asyncio.to_thread(pause, n))[0]
    size = (await asyncio.to_thread(pause, n)).__len__()
    total = -await asyncio.to_thread(tick) + await asyncio.to_thread(tick) ** 2
    many = await asyncio.to_thread(
        pause,
        n,
    )
    return first, size, total, many, (await asyncio.to_thread(tick))
