from http_clients import get_default_client


async def describe(url):
    return f"status {(await get_default_client().get(url)).status_code}, {(await get_default_client().request('GET', url, json={})).status_code}"


async def plain(url):
    return f'status {(await get_default_client().get(url)).status_code}'
