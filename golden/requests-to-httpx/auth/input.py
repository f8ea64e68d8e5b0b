import requests
from requests.auth import HTTPDigestAuth


async def fetch(url, user, password):
    requests.get(url, auth=(user, password))
    requests.get(url, auth=HTTPDigestAuth(user, password))
