import requests

from http_clients import get_default_client


async def details(url):
    r = await get_default_client().get(url)
    return r.status_code, r.headers, r.text, r.content, r.json(), r.reason_phrase, str(r.url).upper()


async def unknown(url):
    r = requests.get(url)
    return r.apparent_encoding
