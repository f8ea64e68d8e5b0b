import requests


async def search(url, query):
    hits = requests.get(url, json=query).json()
    requests.delete(url, json={"ids": [1, 2]})
    return hits


async def no_body(url):
    return requests.get(url, data=None).status_code
