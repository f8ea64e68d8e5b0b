import httpx
from http_clients import get_client


async def fetch(url, payload):
    r = await get_client("default").post(url, json=payload, follow_redirects=False)
    await get_client("default").get(url, follow_redirects=True)
    await get_client("default").request("PUT", url, content=b"raw", follow_redirects=False)
    return r.json()


async def httpx_arguments(url, limits):
    await get_client("default").get(url, timeout=limits, follow_redirects=False)
    httpx.get(url, trust_env=False)
