import httpx as hx
import requests


async def fetch(url):
    try:
        return requests.get(url, timeout=(1, 5)).text
    except requests.Timeout:
        return ""
