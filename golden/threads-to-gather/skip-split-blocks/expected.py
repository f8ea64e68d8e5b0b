import threading


def work(n):
    return n


async def run(numbers, log):
    threads = [threading.Thread(target=work, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    try:
        log("started")
    finally:
        for t in threads:
            t.join()
