import requests


async def fetch(url):
    return await requests.get(url)
