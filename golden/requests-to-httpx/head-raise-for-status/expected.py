import requests


async def exists(url):
    r = requests.head(url)
    r.raise_for_status()
    return True
