import time


async def handler(loop, delay=time.sleep(0)):
    await loop.run_in_executor(None, time.sleep, 1)
    return delay
