"""A geocoding service the app calls many times at once."""

import requests


async def geocode(base, query):
    response = requests.get(f"{base}/geo", params={"q": query}, timeout=5)
    response.raise_for_status()
    return response.json()
