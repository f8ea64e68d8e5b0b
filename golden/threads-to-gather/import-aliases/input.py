import threading as th
from threading import Thread as T


def work(n, out):
    out.append(n * n)


async def squares(numbers):
    out = []
    threads = []
    for n in numbers:
        worker = th.Thread(target=work, args=(n, out))
        worker.start()
        threads.append(worker)
    for worker in threads:
        worker.join()
    extra = T(target=work, args=(0, out))
    extra.start()
    extra.join()
    return out
