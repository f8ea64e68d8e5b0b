import time


async def run(asyncio):
    time.sleep(1)
