import httpx2
import requests

from http_clients import get_default_client

PAIR = (3, 30)
LIMIT = 10


async def fetch(url, timeout):
    await get_default_client().get(url, timeout=5)
    await get_default_client().get(url, timeout=2.5)
    await get_default_client().get(url, timeout=None)
    await get_default_client().get(url, timeout=httpx2.Timeout(27, connect=3.05))
    await get_default_client().get(
        url, timeout=httpx2.Timeout(PAIR[1], connect=PAIR[0])
    )
    await get_default_client().get(url, timeout=LIMIT)
    requests.get(url, timeout=timeout)
