import time


async def drain(delays):
    return sum(time.sleep(d) or d for d in delays)
