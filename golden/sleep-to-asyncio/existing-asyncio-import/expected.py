import asyncio


async def pause():
    await asyncio.sleep(1)
    await asyncio.sleep(0)
