from http_clients import get_client


async def sync_all(urls):
    for url in urls:
        (await get_client("default").get(url, follow_redirects=False)).raise_for_status()
