import asyncio
import time


def lookup(name):
    time.sleep(0.2)
    return name.title()


async def warm():
    await asyncio.sleep(0.1)
