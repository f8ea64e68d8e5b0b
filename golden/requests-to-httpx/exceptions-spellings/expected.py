import httpx
from http_clients import get_client


async def call(url, log):
    try:
        await get_client("default").post(url, json={})
    except (httpx.TimeoutException, httpx.TransportError) as e:
        log(e)
    except (httpx.HTTPStatusError, ValueError) as e:
        log(e)
