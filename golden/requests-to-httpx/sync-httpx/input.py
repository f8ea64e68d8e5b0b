import httpx


async def fetch(url, payload):
    r = httpx.post(url, json=payload)
    httpx.get(url, follow_redirects=True)
    httpx.request("PUT", url, content=b"raw")
    return r.json()


async def httpx_arguments(url, limits):
    httpx.get(url, timeout=limits, verify=True, trust_env=True)
    httpx.get(url, trust_env=False)
