"""A handler fanning out to a nested thread target that calls requests (the seed's phase 1)."""

import threading

import requests


async def prices(base, items):
    found = {}

    def fetch(item):
        found[item] = requests.get(f"{base}/price", params={"item": item}, timeout=5).json()["price"]

    threads = [threading.Thread(target=fetch, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return found
