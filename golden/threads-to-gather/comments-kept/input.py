import threading


def fetch(url, out):
    out[url] = url


async def fetch_all(urls):
    out = {}  # filled by the workers

    # One worker per URL: the upstream API is slow but parallel-friendly.
    threads = []
    for url in urls:  # urls are already de-duplicated
        t = threading.Thread(target=fetch, args=(url, out))
        t.start()
        threads.append(t)
    # Wait for every worker before answering.
    for t in threads:
        t.join()
    # Answer with what we have.
    return out
