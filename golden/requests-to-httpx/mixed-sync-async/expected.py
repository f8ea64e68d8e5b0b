import requests

from http_clients import get_default_client


def warm_up(url):
    requests.get(url)


async def handle(url):
    r = await get_default_client().get(url)
    return r.status_code
