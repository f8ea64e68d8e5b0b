import threading


class Downloader(threading.Thread):
    def __init__(self, url):
        super().__init__()
        self.url = url
        self.body = None

    def run(self):
        self.body = self.url


async def download(urls):
    workers = [Downloader(u) for u in urls]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return [w.body for w in workers]
