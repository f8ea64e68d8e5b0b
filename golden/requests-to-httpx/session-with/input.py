import requests


async def crawl(urls):
    results = []
    # One session for the whole crawl.
    with requests.Session() as s:
        for url in urls:
            r = s.get(url, timeout=5)
            results.append(r.json())
        s.post(urls[0], {"done": "1"})
    return results
