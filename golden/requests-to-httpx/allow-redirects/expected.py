from http_clients import get_default_client


async def probe(url, follow):
    a = await get_default_client().get(url, follow_redirects=False)
    b = await get_default_client().get(url, follow_redirects=follow)
    c = await get_default_client().head(url, follow_redirects=False)
    d = await get_default_client().head(url, follow_redirects=True)
    return a.status_code, b.status_code, c.status_code, d.status_code
