import threading


def index(doc, out):
    out[doc] = len(doc)


async def reindex(a, b, c):
    out = {}
    t1 = threading.Thread(target=index, args=(a, out))
    t2 = threading.Thread(target=index, args=(b, out))
    t3 = threading.Thread(target=index, args=(c, out))
    for t in (t1, t2, t3):
        t.start()
    for t in [t1, t2, t3]:
        t.join()
    return out
