import threading


def fetch(url):
    return url


async def fetch_all(urls):
    threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    one = threading.Thread(target=fetch, args=("x",))
    one.start()
    one.join(2.0)
