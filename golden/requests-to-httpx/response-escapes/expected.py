import requests

from http_clients import get_default_client


async def returned(url):
    return requests.get(url)


async def passed(url, handle):
    r = requests.get(url)
    handle(r)


async def stored(self, url):
    self.last = requests.get(url)


async def truth(url):
    r = requests.get(url)
    if r:
        return r.text


async def checked(url):
    r = await get_default_client().get(url)
    if r is not None:
        return r.text


async def given_back(url):
    r = requests.get(url)
    return r
