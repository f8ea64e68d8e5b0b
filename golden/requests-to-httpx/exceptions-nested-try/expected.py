import requests
import httpx
from http_clients import get_client


async def call(url, log):
    try:
        try:
            r = await get_client("default").get(url)
            r.raise_for_status()
        except httpx.HTTPStatusError as e:
            log(e.response.status_code)
            raise
        finally:
            log("done")
    except httpx.HTTPError:
        return None
    try:
        log("no request here")
    except requests.RequestException:
        pass
