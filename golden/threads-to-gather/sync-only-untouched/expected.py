import threading


class Crawler:
    def crawl(self, urls):
        threads = [threading.Thread(target=print, args=(u,)) for u in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
