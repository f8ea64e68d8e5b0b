import asyncio


async def values(flag):
    result = await asyncio.sleep(0)
    if flag and not await asyncio.sleep(0):
        pass
    return (await asyncio.sleep(0)), result
