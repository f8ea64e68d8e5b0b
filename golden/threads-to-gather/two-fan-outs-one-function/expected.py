import asyncio


def fetch(url, out):
    out[url] = url


def save(key, value):
    print(key, value)


async def sync_all(urls):
    out = {}
    await asyncio.gather(*(asyncio.to_thread(fetch, url, out) for url in urls))
    await asyncio.gather(
        *(asyncio.to_thread(save, key, value) for key, value in out.items()),
    )
