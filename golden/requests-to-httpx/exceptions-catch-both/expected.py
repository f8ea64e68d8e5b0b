import httpx2
import requests

from http_clients import get_default_client


async def call(url, cert):
    try:
        requests.get(url, cert=cert)
        await get_default_client().get(url)
    except (requests.RequestException, httpx2.HTTPError) as e:
        return str(e)
