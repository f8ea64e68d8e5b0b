from http_clients import get_client


async def describe(url):
    return f"status {(await get_client('default').get(url)).status_code}, {(await get_client('default').request('GET', url, json={})).status_code}"


async def plain(url):
    return f'status {(await get_client("default").get(url)).status_code}'
