import threading

import requests


def ping(host, results):
    results.append((host, requests.head(f"https://{host}", timeout=5).status_code))


async def ping_all(hosts):
    results = []
    threads = [threading.Thread(target=ping, args=(h, results)) for h in hosts if h]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)
