import httpx


async def sync_all(urls):
    with httpx.Client() as client:
        for url in urls:
            client.get(url).raise_for_status()
