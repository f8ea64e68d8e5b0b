import threading


def fetch(url, out):
    out[url] = url


def save(key, value):
    print(key, value)


async def sync_all(urls):
    out = {}
    threads = []
    for url in urls:
        t = threading.Thread(target=fetch, args=(url, out))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    threads = []
    for key, value in out.items():
        t = threading.Thread(target=save, args=(key, value))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
