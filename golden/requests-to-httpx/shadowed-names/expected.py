import requests
from requests import get


async def handler(requests, url):
    return requests.get(url)


async def other(url):
    get = make_getter()
    return get(url)


async def third(url):
    def post(u):
        return u
    post(url)
    requests.get  # a reference, not a call
