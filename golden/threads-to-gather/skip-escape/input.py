import threading


def work(n):
    return n


def track(thread):
    print(thread.name)


async def returned(items):
    threads = [threading.Thread(target=work, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return threads


class Service:
    async def stored(self):
        worker = threading.Thread(target=work, args=(1,))
        self.worker = worker
        worker.start()
        worker.join()

    async def passed(self):
        worker = threading.Thread(target=work, args=(2,))
        worker.start()
        track(worker)
        worker.join()
