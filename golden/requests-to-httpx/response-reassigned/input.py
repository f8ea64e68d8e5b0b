import requests


async def reassigned(url):
    r = requests.get(url)
    data = r.json()
    r = None
    return data, r


async def walrus(url):
    if (r := requests.get(url)).ok:
        return r.json()


async def fallback(primary, secondary):
    r = requests.get(primary)
    if not r.ok:
        r = requests.get(secondary)
    return r.json()
