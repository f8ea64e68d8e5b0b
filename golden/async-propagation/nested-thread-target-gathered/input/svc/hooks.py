import threading

import requests


async def notify_all(urls, payload):
    def post(url):
        requests.post(url, json=payload, timeout=5)

    threads = [threading.Thread(target=post, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
