import httpx

from http_clients import get_default_client


async def call(url):
    try:
        return (await get_default_client().get(url)).text
    except ConnectionError:
        return "builtin"
    except httpx.HTTPError:
        return "already httpx"
