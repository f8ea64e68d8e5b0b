import requests


async def deliver(url, event):
    requests.post(url, json=event)
