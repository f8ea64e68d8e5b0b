import asyncio


def fetch(url, out):
    out[url] = url


async def fetch_all(urls):
    out = {}  # filled by the workers

    # One worker per URL: the upstream API is slow but parallel-friendly.
    # urls are already de-duplicated
    # Wait for every worker before answering.
    await asyncio.gather(*(asyncio.to_thread(fetch, url, out) for url in urls))
    # Answer with what we have.
    return out
