import asyncio

import requests


def ping(host, results):
    results.append((host, requests.head(f"https://{host}", timeout=5).status_code))


async def ping_all(hosts):
    results = []
    await asyncio.gather(*(asyncio.to_thread(ping, h, results) for h in hosts if h))
    return sorted(results)
