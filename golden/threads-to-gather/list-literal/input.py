import threading


def a(out):
    out.append("a")


def b(out, n):
    out.append("b" * n)


async def both():
    out = []
    threads = [threading.Thread(target=a, args=(out,)), threading.Thread(target=b, args=(out, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out
