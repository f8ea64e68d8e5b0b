import requests
from requests.auth import HTTPDigestAuth

from http_clients import get_default_client


async def fetch(url, user, password):
    await get_default_client().get(url, auth=(user, password))
    requests.get(url, auth=HTTPDigestAuth(user, password))
