from http_clients import get_default_client


async def sync_all(urls):
    for url in urls:
        (await get_default_client().get(url, follow_redirects=False)).raise_for_status()
