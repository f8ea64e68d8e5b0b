import requests


async def calls(url):
    requests.get(url)  # asyncmig: skip
    requests.post(url, json={})
