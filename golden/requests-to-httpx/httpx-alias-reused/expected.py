import httpx as hx

from http_clients import get_default_client


async def fetch(url):
    try:
        return (await get_default_client().get(url, timeout=hx.Timeout(5, connect=1))).text
    except hx.TimeoutException:
        return ""
