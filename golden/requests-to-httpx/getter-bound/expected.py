import requests


def get_default_client():
    return None


async def fetch(url):
    return requests.get(url).json()
