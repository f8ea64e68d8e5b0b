import requests
from http_clients import get_client


async def calls(url):
    requests.get(url)  # asyncmig: skip
    await get_client("default").post(url, json={})
