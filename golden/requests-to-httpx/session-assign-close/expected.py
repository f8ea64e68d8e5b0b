from http_clients import get_default_client


async def ping(url):
    r = await get_default_client().head(url, follow_redirects=False)
    return r.status_code
