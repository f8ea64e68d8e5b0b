import httpx2
from http_clients import get_default_client


async def call(url, log):
    try:
        await get_default_client().post(url, json={})
    except (httpx2.TimeoutException, httpx2.TransportError) as e:
        log(e)
    except (httpx2.HTTPStatusError, ValueError) as e:
        log(e)
