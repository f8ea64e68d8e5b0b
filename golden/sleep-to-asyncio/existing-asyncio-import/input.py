import asyncio
import time


async def pause():
    time.sleep(1)
    await asyncio.sleep(0)
