import httpx
from http_clients import get_client


async def call(url):
    try:
        await get_client("default").get(url)
    except httpx.HTTPError:
        pass
