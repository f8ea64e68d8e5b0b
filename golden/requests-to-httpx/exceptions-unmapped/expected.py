import requests


async def call(url):
    try:
        return requests.get(url).text
    except requests.exceptions.SSLError:
        return "tls"


async def reads_response(url):
    try:
        return requests.get(url).text
    except requests.RequestException as e:
        return e.response
