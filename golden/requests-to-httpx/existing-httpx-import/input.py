import httpx
import requests


async def fetch(url):
    try:
        r = requests.get(url, timeout=(3.05, 27))
        r.raise_for_status()
    except requests.RequestException:
        return None
    return r.json()
