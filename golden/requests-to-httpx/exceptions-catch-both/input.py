import requests


async def call(url, cert):
    try:
        requests.get(url, cert=cert)
        requests.get(url)
    except requests.RequestException as e:
        return str(e)
