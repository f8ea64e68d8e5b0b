import threading


def work(n):
    return n


async def run(asyncio, numbers):
    threads = [threading.Thread(target=work, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
