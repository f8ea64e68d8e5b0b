import threading


def fetch(url, results):
    results[url] = len(url)


def chunk_threads(threads, size=4):
    for i in range(0, len(threads), size):
        chunk = threads[i:i + size]
        for t in chunk:
            t.start()
        for t in chunk:
            t.join()


def join_all(threads):
    """Wait for every thread."""
    for t in threads:
        t.join()


async def crawl(urls):
    results = {}
    threads = [threading.Thread(target=fetch, args=(u, results)) for u in urls]
    chunk_threads(threads)
    return results


async def crawl_wide(urls, width):
    results = {}
    threads = [threading.Thread(target=fetch, args=(u, results)) for u in urls]
    chunk_threads(threads, size=width)
    return results


async def crawl_all(urls):
    results = {}
    threads = []
    for u in urls:
        t = threading.Thread(target=fetch, args=(u, results))
        t.start()
        threads.append(t)
    join_all(threads)
    return results
