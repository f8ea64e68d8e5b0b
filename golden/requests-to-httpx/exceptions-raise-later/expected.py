import httpx2
import json
from http_clients import get_default_client


async def check(url, log):
    r = await get_default_client().get(url)
    try:
        r.raise_for_status()
    except httpx2.HTTPStatusError as e:
        log(e.response.status_code)
    try:
        return r.json()
    except json.JSONDecodeError:
        return None


async def later(url):
    r = await get_default_client().get(url)
    try:
        r.raise_for_status()
    except httpx2.HTTPStatusError:
        return False
    return True


async def parse(url):
    try:
        r = await get_default_client().get(url)
        return r.json()
    except (httpx2.HTTPError, json.JSONDecodeError):
        return None
