import threading


class Syncer:
    async def push(self, item):
        return item

    def pull(self, item, out, timeout=1):
        out[item] = timeout

    async def sync(self, items):
        out = {}
        threads = []
        for item in items:
            t = threading.Thread(
                target=self.pull,
                args=(item, out),
                kwargs={"timeout": 5},
            )
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        pushers = [threading.Thread(target=self.push, args=(i,)) for i in items]
        for p in pushers:
            p.start()
        for p in pushers:
            p.join()
        return out
