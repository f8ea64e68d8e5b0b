import asyncio as aio
import time


async def pause():
    time.sleep(1)
    return await aio.gather()
