import threading


def fetch(url, out):
    out[url] = url


async def fetch_all(urls, progress):
    out = {}
    threads = [threading.Thread(target=fetch, args=(u, out)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
        progress.tick()
    return out
