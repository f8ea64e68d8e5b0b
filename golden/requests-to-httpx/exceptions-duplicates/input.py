import requests
import requests.exceptions


async def call(url):
    try:
        requests.get(url)
    except(requests.exceptions.RequestException, requests.RequestException):
        pass
