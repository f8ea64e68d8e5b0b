from http_clients import get_default_client


async def crawl(urls):
    results = []
    # One session for the whole crawl.
    for url in urls:
        r = await get_default_client().get(url, timeout=5)
        results.append(r.json())
    await get_default_client().post(urls[0], data={"done": "1"})
    return results
