import threading


def work(n):
    return n


async def no_target():
    t = threading.Thread()
    t.start()
    t.join()


async def star_args(spec):
    t = threading.Thread(*spec)
    t.start()
    t.join()


async def foreign_list(threads, numbers):
    for n in numbers:
        t = threading.Thread(target=work, args=(n,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


async def shadowed_logging(logging, numbers):
    threads = [threading.Thread(target=work, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
