import requests
import httpx
from http_clients import get_client


async def call(url, cert):
    try:
        requests.get(url, cert=cert)
        await get_client("default").get(url)
    except (requests.RequestException, httpx.HTTPError) as e:
        return str(e)
