from http_clients import get_client


async def crawl(urls):
    results = []
    # One session for the whole crawl.
    for url in urls:
        r = await get_client("default").get(url, timeout=5)
        results.append(r.json())
    await get_client("default").post(urls[0], data={"done": "1"})
    return results
