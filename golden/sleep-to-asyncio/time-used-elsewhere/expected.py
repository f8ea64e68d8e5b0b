import asyncio
import time


async def timed(fn):
    start = time.monotonic()
    await asyncio.sleep(0.2)
    return fn(), time.monotonic() - start
