import asyncio


async def pause(seconds):
    await asyncio.sleep(seconds)
    return [seconds]


async def tick():
    await asyncio.sleep(0.01)
    return 1
