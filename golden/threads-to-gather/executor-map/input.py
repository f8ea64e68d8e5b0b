from concurrent.futures import ThreadPoolExecutor

import requests


def status(url):
    return requests.get(url, timeout=10).status_code


async def statuses(urls):
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(status, urls))
    return dict(zip(urls, codes))
