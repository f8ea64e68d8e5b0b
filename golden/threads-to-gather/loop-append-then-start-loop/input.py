import threading


def resize(path, size, out):
    out[path] = size


async def resize_all(paths, size):
    out = {}
    workers = []
    for path in paths:
        workers.append(threading.Thread(target=resize, args=(path, size, out)))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return out
