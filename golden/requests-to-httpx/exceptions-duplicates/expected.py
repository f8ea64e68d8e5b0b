import httpx2
from http_clients import get_default_client


async def call(url):
    try:
        await get_default_client().get(url)
    except httpx2.HTTPError:
        pass
