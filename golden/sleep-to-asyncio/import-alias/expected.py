import asyncio


async def poll(check):
    while not check():
        await asyncio.sleep(0.5)
