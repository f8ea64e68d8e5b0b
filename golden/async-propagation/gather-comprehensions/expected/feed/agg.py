import asyncio

from feed.fetch import fetch


async def collect(urls):
    pages = await asyncio.gather(*(fetch(u) for u in urls))
    sizes = {u: len(await fetch(u)) for u in urls if u}
    twice = [await fetch(await fetch(u)) for u in urls]
    return pages, sizes, twice
