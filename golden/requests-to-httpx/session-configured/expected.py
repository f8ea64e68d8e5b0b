import httpx
import requests
from requests.adapters import HTTPAdapter


async def with_headers(url, token):
    s = requests.Session()
    s.headers.update({"Authorization": token})
    return s.get(url).json()


async def with_adapter(url):
    s = requests.Session()
    s.mount("https://", HTTPAdapter(max_retries=3))
    return s.get(url).json()


async def escapes(url):
    s = requests.Session()
    s.get(url)
    register(s)


async def created_with_args(url):
    with httpx.Client(timeout=3) as s:
        s.get(url)


async def one_line(url):
    s = requests.Session(); s.get(url)
