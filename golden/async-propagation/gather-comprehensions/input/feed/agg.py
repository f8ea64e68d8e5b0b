from feed.fetch import fetch


async def collect(urls):
    pages = [fetch(u) for u in urls]
    sizes = {u: len(fetch(u)) for u in urls if u}
    twice = [fetch(fetch(u)) for u in urls]
    return pages, sizes, twice
