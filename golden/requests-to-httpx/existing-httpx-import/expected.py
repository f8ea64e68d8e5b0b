import httpx

from http_clients import get_default_client


async def fetch(url):
    try:
        r = await get_default_client().get(url, timeout=httpx.Timeout(27, connect=3.05))
        r.raise_for_status()
    except httpx.HTTPError:
        return None
    return r.json()
