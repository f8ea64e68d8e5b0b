import asyncio
import time


def sync_wait():
    time.sleep(1)


async def async_wait():
    await asyncio.sleep(1)
