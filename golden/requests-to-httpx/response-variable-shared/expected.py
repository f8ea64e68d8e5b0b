import requests

from http_clients import get_default_client


async def fallback(url, cached):
    r = cached
    if r is None:
        r = requests.get(url)
    return r.ok


async def both(url, fast):
    if fast:
        r = await get_default_client().head(url, follow_redirects=True)
    else:
        r = await get_default_client().get(url)
    return not r.is_error
