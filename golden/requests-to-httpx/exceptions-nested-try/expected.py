import httpx2
import requests

from http_clients import get_default_client


async def call(url, log):
    try:
        try:
            r = await get_default_client().get(url)
            r.raise_for_status()
        except httpx2.HTTPStatusError as e:
            log(e.response.status_code)
            raise
        finally:
            log("done")
    except httpx2.HTTPError:
        return None
    try:
        log("no request here")
    except requests.RequestException:
        pass
