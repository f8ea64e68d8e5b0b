import threading


def work(n):
    return n


async def finish(worker):
    t = threading.Thread(target=work, args=(1,))
    t.start()
    for thread in (t, worker):
        thread.join()
