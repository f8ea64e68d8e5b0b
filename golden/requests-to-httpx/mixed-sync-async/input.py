import requests


def warm_up(url):
    requests.get(url)


async def handle(url):
    r = requests.get(url)
    return r.status_code
