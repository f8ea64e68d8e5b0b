import requests

PAIR = (3, 30)
LIMIT = 10


async def fetch(url, timeout):
    requests.get(url, timeout=5)
    requests.get(url, timeout=2.5)
    requests.get(url, timeout=None)
    requests.get(url, timeout=(3.05, 27))
    requests.get(url, timeout=PAIR)
    requests.get(url, timeout=LIMIT)
    requests.get(url, timeout=timeout)
