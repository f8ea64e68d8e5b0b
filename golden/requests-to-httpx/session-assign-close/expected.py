from http_clients import get_client


async def ping(url):
    r = await get_client("default").head(url, follow_redirects=False)
    return r.status_code
