import requests


async def charge(url, amount):
    return requests.post(url, json={"amount": amount}).json()
