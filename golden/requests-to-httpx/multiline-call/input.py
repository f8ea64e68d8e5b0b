import requests


async def probe(url, token):
    r = requests.head(
        url,
        headers={"Authorization": token},
        timeout=5,
    )
    s = requests.head(url,
                      timeout=5)
    return r.status_code, s.status_code
