import asyncio
import functools
import time


@functools.lru_cache(maxsize=None)
def config(name):
    time.sleep(0.1)
    return {"name": name}


def chunks(items):
    for item in items:
        time.sleep(0.01)
        yield item


async def handler(items):
    settings = await asyncio.to_thread(config, "main")
    return settings, list(chunks(items))
