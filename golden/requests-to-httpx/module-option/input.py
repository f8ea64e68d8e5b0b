import requests


async def fetch(url):
    return requests.get(url).json()
