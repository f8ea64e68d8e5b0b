"""Fan-outs as real services write them: a chunking helper, a held executor, map over a lambda."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

POOL = ThreadPoolExecutor(max_workers=4)


def fetch_price(base, item):
    return requests.get(f"{base}/price", params={"item": item}, timeout=5).json()["price"]


def store_price(base, item, out):
    out[item] = fetch_price(base, item)


def chunk_threads(threads, size=2):
    for i in range(0, len(threads), size):
        chunk = threads[i:i + size]
        for t in chunk:
            t.start()
        for t in chunk:
            t.join()


async def crawl(base, items):
    out = {}
    threads = [threading.Thread(target=store_price, args=(base, item, out)) for item in items]
    chunk_threads(threads)
    return out


async def lookup_all(base, items):
    return list(POOL.map(lambda item: fetch_price(base, item), items))


async def lookup_with(base, items):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda item: fetch_price(base, item), items))
