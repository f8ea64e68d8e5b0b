import logging
import threading

import requests

logger = logging.getLogger(__name__)


def fetch(url, results):
    results[url] = requests.get(url, timeout=10).status_code


async def check_all(urls):
    results = {}
    threads = []
    for url in urls:
        t = threading.Thread(target=fetch, args=(url, results))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return results
