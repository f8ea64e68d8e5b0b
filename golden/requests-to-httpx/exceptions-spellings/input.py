import requests
from requests.exceptions import ConnectionError, Timeout


async def call(url, log):
    try:
        requests.post(url, json={})
    except (Timeout, ConnectionError) as e:
        log(e)
    except (requests.HTTPError, ValueError) as e:
        log(e)
