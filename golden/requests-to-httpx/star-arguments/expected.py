import requests


async def call(url, *args, **kwargs):
    requests.get(url, **kwargs)
    requests.post(url, *args)
