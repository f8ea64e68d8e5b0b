import time


async def staggered(delays):
    return [time.sleep(d) for d in delays]
