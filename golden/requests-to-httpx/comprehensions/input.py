import requests


async def fetch_all(urls):
    bodies = [requests.get(u).json() for u in urls]
    lazy = (requests.get(u) for u in urls)
    return bodies, lazy
