import asyncio


def warm(key, cache):
    cache[key] = key.upper()


async def warm_cache(keys):
    cache = {}
    await asyncio.gather(*(asyncio.to_thread(warm, k, cache) for k in keys))
    return cache
