import asyncio


async def wait_ready(probe):
    while not probe():
        await asyncio.sleep(1)
