import requests


async def describe(url):
    return f"status {requests.get(url).status_code}, {requests.get(url, json={}).status_code}"


async def plain(url):
    return f'status {requests.get(url).status_code}'
