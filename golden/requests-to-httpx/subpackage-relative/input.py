import requests


async def load(url):
    return requests.get(url).json()
