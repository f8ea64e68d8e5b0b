import requests

from http_clients import get_default_client


async def calls(url):
    requests.get(url)  # asyncmig: skip
    await get_default_client().post(url, json={})
