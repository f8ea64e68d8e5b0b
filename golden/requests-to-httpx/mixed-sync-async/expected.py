import requests
from http_clients import get_client


def warm_up(url):
    requests.get(url)


async def handle(url):
    r = await get_client("default").get(url)
    return r.status_code
