import threading


def warm(key, cache):
    cache[key] = key.upper()


async def warm_cache(keys):
    cache = {}
    workers = [threading.Thread(target=warm, args=(k, cache)) for k in keys]
    [w.start() for w in workers]
    [w.join() for w in workers]
    return cache
