"""Sync helpers whose requests calls the phase rewrites, but that block in other ways too."""

import threading
import time

import requests


def warm(base, items):
    """Warms a cache in threads (joined here), then asks for the first price."""
    seen = []
    threads = [threading.Thread(target=lambda i=i: seen.append(fetch_price(base, i))) for i in items]
    for t in threads:
        t.start()
    [t.join() for t in threads]
    return sorted(seen), requests.get(f"{base}/price", params={"item": items[0]}, timeout=5).json()["price"]


def fetch_price(base, item):
    return requests.get(f"{base}/price", params={"item": item}, timeout=5).json()["price"]


def retry(call, attempts):
    """Calls ``call`` (which may block) until it succeeds, pausing between attempts."""
    for attempt in range(attempts):
        try:
            return call()
        except requests.RequestException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)
    return None
