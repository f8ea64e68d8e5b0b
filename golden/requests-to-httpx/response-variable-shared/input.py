import requests


async def fallback(url, cached):
    r = cached
    if r is None:
        r = requests.get(url)
    return r.ok


async def both(url, fast):
    if fast:
        r = requests.head(url, allow_redirects=True)
    else:
        r = requests.get(url)
    return r.ok
