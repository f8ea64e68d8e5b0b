import httpx
import requests


async def call(url):
    try:
        return requests.get(url).text
    except ConnectionError:
        return "builtin"
    except httpx.HTTPError:
        return "already httpx"
