import asyncio


async def staggered(delays):
    return [await asyncio.sleep(d) for d in delays]
