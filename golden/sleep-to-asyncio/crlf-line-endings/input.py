import time


async def wait():
    time.sleep(1)
    return 1
