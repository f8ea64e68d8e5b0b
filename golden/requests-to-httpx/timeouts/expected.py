import requests
import httpx
from http_clients import get_client

PAIR = (3, 30)
LIMIT = 10


async def fetch(url, timeout):
    await get_client("default").get(url, timeout=5)
    await get_client("default").get(url, timeout=2.5)
    await get_client("default").get(url, timeout=None)
    await get_client("default").get(url, timeout=httpx.Timeout(27, connect=3.05))
    await get_client("default").get(url, timeout=httpx.Timeout(PAIR[1], connect=PAIR[0]))
    await get_client("default").get(url, timeout=LIMIT)
    requests.get(url, timeout=timeout)
