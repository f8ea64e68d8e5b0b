import requests
from http_clients import get_client


async def fetch_all(urls):
    bodies = [(await get_client("default").get(u)).json() for u in urls]
    lazy = (requests.get(u) for u in urls)
    return bodies, lazy
