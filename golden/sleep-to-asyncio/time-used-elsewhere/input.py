import time


async def timed(fn):
    start = time.monotonic()
    time.sleep(0.2)
    return fn(), time.monotonic() - start
