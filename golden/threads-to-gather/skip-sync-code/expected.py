import asyncio
import threading


def fetch(url, out):
    out[url] = url


def fetch_all_sync(urls):
    out = {}
    threads = [threading.Thread(target=fetch, args=(u, out)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


async def fetch_all(urls):
    out = {}
    await asyncio.gather(*(asyncio.to_thread(fetch, u, out) for u in urls))
    return out
