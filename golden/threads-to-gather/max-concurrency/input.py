import logging
import threading

log = logging.getLogger("crawler")


def crawl(url, pages):
    pages[url] = url


async def crawl_all(urls):
    pages = {}
    threads = []
    for url in urls:
        t = threading.Thread(target=crawl, args=(url, pages))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return pages
