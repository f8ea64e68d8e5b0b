import requests

from http_clients import get_default_client


async def fetch_all(urls):
    bodies = [(await get_default_client().get(u)).json() for u in urls]
    lazy = (requests.get(u) for u in urls)
    return bodies, lazy
