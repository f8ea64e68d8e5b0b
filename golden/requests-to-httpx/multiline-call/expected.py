from http_clients import get_default_client


async def probe(url, token):
    r = await get_default_client().head(
        url,
        headers={"Authorization": token},
        timeout=5,
        follow_redirects=False,
    )
    s = await get_default_client().head(url,
                      timeout=5, follow_redirects=False)
    return r.status_code, s.status_code
