from feed.fetch import fetch


async def collect(urls):
    pages = [await fetch(u) for u in urls]
    sizes = {u: len(await fetch(u)) for u in urls if u}
    return pages, sizes
