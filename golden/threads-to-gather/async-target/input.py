import threading

from app.clients import notify
from app.storage import archive


async def fetch(url, out):
    out[url] = len(url)


async def collect(url, user, out):
    fetcher = threading.Thread(target=fetch, args=(url, out))
    notifier = threading.Thread(target=notify, args=(user,))
    archiver = threading.Thread(target=archive, kwargs={"key": url})
    for t in (fetcher, notifier, archiver):
        t.start()
    for t in (fetcher, notifier, archiver):
        t.join()
    return out
