import requests as rq


async def fetch(url):
    return rq.get(url).json()
