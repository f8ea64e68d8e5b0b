import requests


async def details(url):
    r = requests.get(url)
    return r.status_code, r.headers, r.text, r.content, r.json(), r.reason, r.url.upper()


async def unknown(url):
    r = requests.get(url)
    return r.apparent_encoding
