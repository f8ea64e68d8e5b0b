import httpx

from http_clients import get_default_client


async def fetch(url, payload):
    r = await get_default_client().post(url, json=payload, follow_redirects=False)
    await get_default_client().get(url, follow_redirects=True)
    await get_default_client().request(
        "PUT", url, content=b"raw", follow_redirects=False
    )
    return r.json()


async def httpx_arguments(url, limits):
    await get_default_client().get(url, timeout=limits, follow_redirects=False)
    httpx.get(url, trust_env=False)
