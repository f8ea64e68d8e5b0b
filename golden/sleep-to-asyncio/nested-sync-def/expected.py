import asyncio
import time


async def schedule(executor):
    def work():
        time.sleep(5)
        return 1

    await asyncio.sleep(0.1)
    return executor.submit(work)
