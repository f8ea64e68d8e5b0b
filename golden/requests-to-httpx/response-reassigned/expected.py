import requests

from http_clients import get_default_client


async def reassigned(url):
    r = requests.get(url)
    data = r.json()
    r = None
    return data, r


async def walrus(url):
    if (r := requests.get(url)).ok:
        return r.json()


async def fallback(primary, secondary):
    r = await get_default_client().get(primary)
    if r.is_error:
        r = await get_default_client().get(secondary)
    return r.json()
