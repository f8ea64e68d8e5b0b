import httpx
import json
from http_clients import get_client


async def check(url, log):
    r = await get_client("default").get(url)
    try:
        r.raise_for_status()
    except httpx.HTTPStatusError as e:
        log(e.response.status_code)
    try:
        return r.json()
    except json.JSONDecodeError:
        return None


async def later(url):
    r = await get_client("default").get(url)
    try:
        r.raise_for_status()
    except httpx.HTTPStatusError:
        return False
    return True


async def parse(url):
    try:
        r = await get_client("default").get(url)
        return r.json()
    except (httpx.HTTPError, json.JSONDecodeError):
        return None
